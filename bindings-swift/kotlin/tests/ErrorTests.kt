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
)
