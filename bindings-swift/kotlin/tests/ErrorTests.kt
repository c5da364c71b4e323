// Each AuthingException variant, produced for real by the emulator, with its fields.
package authing.resign.tests

import authing.resign.*
import java.net.ServerSocket
import java.time.Duration

fun errorTests(): List<TestCase> = listOf(
    test("an unknown user is an Api error with statusCode, apiCode and requestId") { emu ->
        val e = assertThrows<AuthingException.Api> {
            emu.client().resignUserBatch(listOf("ghost@example.com"), UserIdType.EMAIL)
        }
        assertEq(404.toUShort(), e.statusCode, "statusCode")
        assertEq(2004u, e.apiCode, "apiCode")
        assertEq(200.toUShort(), e.httpStatus, "httpStatus")
        ensure(!e.requestId.isNullOrBlank()) { "requestId is surfaced" }
        ensure(e.serverMessage.isNotBlank()) { "server message is kept" }
        assertEq(e.requestId, emu.batchCalls().single()["requestId"], "requestId matches the server's")
        assertEq("api_error", e.code(), "code()")
        ensure(!e.isRetryable() && !e.isAuth()) { "a 404 is neither retryable nor auth" }
    },
    test("a wrong secret is an auth Api error for both schemes") { emu ->
        for (auth in listOf(AuthScheme.SIGNATURE, AuthScheme.MANAGEMENT_TOKEN)) {
            val e = assertThrows<AuthingException.Api> {
                emu.client(auth = auth, secret = "wrong-secret").resignUserBatch(listOf("x@example.com"), UserIdType.EMAIL)
            }
            ensure(e.isAuth()) { "$auth: isAuth() for $e" }
            ensure(e.statusCode.toInt() in listOf(400, 401, 403)) { "$auth: statusCode ${e.statusCode}" }
        }
    },
    test("a slow server is a Timeout of the attempt phase") { emu ->
        // The reply would come after 3 s and succeed: getting Timeout proves the 300 ms limit.
        emu.fault("delay", times = 0, delayMs = 3_000)
        val e = assertThrows<AuthingException.Timeout> {
            emu.client(maxRetries = 0u, timeout = Duration.ofMillis(300))
                .resignUserBatch(listOf("x@example.com"), UserIdType.EMAIL)
        }
        assertEq(TimeoutPhase.ATTEMPT, e.phase, "phase")
        assertEq("timeout", e.code(), "code()")
    },
    test("a dropped connection and a closed port are Transport errors") { emu ->
        emu.fault("drop", times = 0)
        val dropped = assertThrows<AuthingException.Transport> {
            emu.client(maxRetries = 0u).resignUserBatch(listOf("x@example.com"), UserIdType.EMAIL)
        }
        ensure(dropped.isRetryable()) { "transport errors are retryable" }
        val port = ServerSocket(0).use { it.localPort }
        val refused = assertThrows<AuthingException.Transport> {
            emu.client(maxRetries = 0u, host = "http://127.0.0.1:$port")
                .resignUserBatch(listOf("x@example.com"), UserIdType.EMAIL)
        }
        ensure(refused.reason.isNotBlank()) { "reason" }
        assertEq("transport", refused.code(), "code()")
    },
    test("a non-JSON body is a Decode error with status and snippet") { emu ->
        emu.fault("non_json", times = 0)
        val e = assertThrows<AuthingException.Decode> {
            emu.client(maxRetries = 0u).resignUserBatch(listOf("x@example.com"), UserIdType.EMAIL)
        }
        assertEq(200.toUShort(), e.httpStatus, "httpStatus")
        ensure(e.snippet.isNotBlank()) { "snippet" }
        assertEq("decode", e.code(), "code()")
    },
    test("an exception's message is the core's message, as in every other language") { emu ->
        val client = emu.client()
        val invalid = assertThrows<AuthingException.InvalidArgument> {
            client.resignUserBatch(listOf("fine@example.com", "  "), UserIdType.EMAIL)
        }
        assertEq("invalid argument `userIds[1]`: ${invalid.reason}", invalid.message, "InvalidArgument message")
        assertEq(invalid.message, invalid.toString(), "toString() is the same message")
        val unknown = assertThrows<AuthingException.Api> { client.resignUserBatch(listOf("ghost@example.com"), UserIdType.EMAIL) }
        assertEq(
            "Authing rejected the request: statusCode 404, apiCode 2004, requestId ${unknown.requestId}: ${unknown.serverMessage}",
            unknown.message, "Api message",
        )
        val config = assertThrows<AuthingException.Config> { emu.client(timeout = Duration.ofSeconds(-1)) }
        ensure(config.message!!.startsWith("invalid client option `timeout`: ")) { config.message!! }
        emu.fault("delay", times = 0, delayMs = 3_000)
        val slow = assertThrows<AuthingException.Timeout> {
            emu.client(maxRetries = 0u, timeout = Duration.ofMillis(200)).resignUserBatch(listOf("x@example.com"), UserIdType.EMAIL)
        }
        assertEq("timed out (attempt timeout)", slow.message, "Timeout message")
    },
    test("maxResponseBytes caps an answer: a Decode error naming the cap; a bad cap is Config") { emu ->
        emu.fault(mapOf("route" to "/api/v3/resign-user-batch", "kind" to "huge_body", "times" to 0, "sizeBytes" to 200_000))
        val capped = ManagementClient(
            ClientOptions(
                accessKeyId = Emulator.KEY_ID, accessKeySecret = AccessKeySecret(Emulator.KEY_SECRET), host = emu.url,
                maxRetries = 0u, maxResponseBytes = 4096UL,
            )
        )
        val e = assertThrows<AuthingException.Decode> { capped.resignUserBatch(listOf("x@example.com"), UserIdType.EMAIL) }
        ensure(e.reason.contains("4096-byte cap") && e.reason.contains("max_response_bytes")) { e.reason }
        assertEq(200.toUShort(), e.httpStatus, "httpStatus")
        ensure(e.snippet.length < 1024) { "a short snippet, not the body (${e.snippet.length} chars)" }
        val bad = assertThrows<AuthingException.Config> {
            ManagementClient(
                ClientOptions(
                    accessKeyId = Emulator.KEY_ID, accessKeySecret = AccessKeySecret(Emulator.KEY_SECRET), host = emu.url,
                    maxResponseBytes = 10UL,
                )
            )
        }
        assertEq("max_response_bytes", bad.option, "option")
    },
    test("one thread alternating failing and succeeding calls: each call gets only its own outcome") { emu ->
        // kotlin/reuse_call_status.py lends each thread one call status: an error written
        // into it by one call must never reach the next call made on that thread.
        val ids = (1..6).map { "alt$it@example.com" }
        emu.seedEmails(*ids.toTypedArray())
        val client = emu.client(maxRetries = 0u)
        val thread = Thread.currentThread()
        for ((n, id) in ids.withIndex()) {
            val config = assertThrows<AuthingException.Config> { emu.client(timeout = Duration.ofSeconds(-1L - n)) }
            assertEq("timeout", config.option, "option")
            val api = assertThrows<AuthingException.Api> {
                client.resignUserBatch(listOf("ghost$n@example.com"), UserIdType.EMAIL)
            }
            assertEq(404.toUShort(), api.statusCode, "statusCode")
            ensure(client.resignUserBatch(listOf(id), UserIdType.EMAIL).data.success) { "call $n after two errors" }
            assertEq(thread, Thread.currentThread(), "thread (runBlocking resumes on its own)")
        }
        for (id in ids) assertEq("Resigned", emu.user(id)["status"], "status of $id")
    },
)
