// resignUserBatch / resignUser: success with both schemes, validation, retries, secrets.
package authing.resign.tests

import authing.resign.*

fun batchTests(): List<TestCase> = listOf(
    test("batch succeeds with request signatures and resigns the users") { emu ->
        emu.seedEmails("ann@example.com", "bob@example.com")
        val resp = emu.client().resignUserBatch(listOf("ann@example.com", "bob@example.com"), UserIdType.EMAIL)
        assertEq(200.toUShort(), resp.statusCode, "statusCode")
        ensure(resp.data.success) { "data.success should be true" }
        for (email in listOf("ann@example.com", "bob@example.com")) {
            assertEq("Resigned", emu.user(email)["status"], "status of $email")
        }
        val call = emu.batchCalls().single()
        val headers = call["headers"].obj()
        ensure((headers["authorization"] as String).startsWith("authing ${Emulator.KEY_ID}:")) { "signature scheme: $headers" }
        ensure(headers["x-authing-sdk-version"] == "authing-resign-kotlin:${version()}") {
            "sdk version header: ${headers["x-authing-sdk-version"]}"
        }
        assertEq(mapOf("userIds" to listOf("ann@example.com", "bob@example.com"), "userIdType" to "email"), call["body"], "body")
    },
    test("resignUser succeeds with a management token and the default id type") { emu ->
        val id = emu.seedEmails("cid@example.com").single()["userId"] as String
        val client = emu.client(auth = AuthScheme.MANAGEMENT_TOKEN)
        val resp = client.resignUser(id, null)
        ensure(resp.data.success) { "data.success" }
        // A second call reuses the cached token.
        client.resignUserBatch(listOf(id), UserIdType.USER_ID)
        val journal = emu.journal()
        assertEq(1, journal.count { it["path"] == "/api/v3/get-management-token" }, "token fetches")
        val resign = journal.first { it["path"] == "/api/v3/resign-user" }
        assertEq("Bearer ***", resign["headers"].obj()["authorization"], "redacted bearer header")
        assertEq(mapOf("userId" to id), resign["body"], "body leaves userIdType out")
        assertEq("Resigned", emu.user("cid@example.com")["status"], "status")
    },
    test("invalid ids are rejected locally with field, index and rule") { emu ->
        val client = emu.client()
        val empty = assertThrows<AuthingException.InvalidArgument> { client.resignUserBatch(emptyList(), null) }
        assertEq("userIds", empty.field, "field")
        assertEq(null, empty.index, "index")
        val tooMany = assertThrows<AuthingException.InvalidArgument> {
            client.resignUserBatch((0 until 51).map { "u$it" }, null)
        }
        ensure(tooMany.reason.contains("50")) { "reason names the limit: ${tooMany.reason}" }
        val blank = assertThrows<AuthingException.InvalidArgument> {
            client.resignUserBatch(listOf("fine@example.com", "  "), UserIdType.EMAIL)
        }
        assertEq(1UL, blank.index, "index of the blank id")
        val identity = assertThrows<AuthingException.InvalidArgument> {
            client.resignUserBatch(listOf("no-colon"), UserIdType.IDENTITY)
        }
        ensure(identity.reason.contains(":")) { "reason names the shape: ${identity.reason}" }
        assertEq("invalid_argument", identity.code(), "code()")
        val single = assertThrows<AuthingException.InvalidArgument> { client.resignUser("bad\nid", null) }
        assertEq("userId", single.field, "field of resignUser")
        assertEq(0, emu.journal().size, "nothing may reach the server")
    },
    test("bad options throw Config before any call") { emu ->
        fun options(host: String? = emu.url, keyId: String = Emulator.KEY_ID) =
            ClientOptions(accessKeyId = keyId, accessKeySecret = AccessKeySecret(Emulator.KEY_SECRET), host = host)
        assertEq("host", assertThrows<AuthingException.Config> { ManagementClient(options(host = "ftp://x")) }.option, "option")
        assertEq("host", assertThrows<AuthingException.Config> { ManagementClient(options(host = "http://example.com")) }.option, "option")
        assertEq("access_key_id", assertThrows<AuthingException.Config> { ManagementClient(options(keyId = " ")) }.option, "option")
        val zero = assertThrows<AuthingException.Config> {
            ManagementClient(options().copy(timeout = java.time.Duration.ZERO))
        }
        assertEq("timeout", zero.option, "option")
        assertEq("config", zero.code(), "code()")
        assertEq(0, emu.journal().size, "no network call")
    },
    test("negative durations throw Config naming the option, not IllegalArgumentException") { emu ->
        // uniffi's own Duration converter threw IllegalArgumentException here (and Swift's
        // called fatalError): durations now reach Rust as seconds and are checked there.
        val base = ClientOptions(accessKeyId = Emulator.KEY_ID, accessKeySecret = AccessKeySecret(Emulator.KEY_SECRET), host = emu.url)
        val negative = java.time.Duration.ofMillis(-5)
        val cases = listOf<Pair<String, ClientOptions>>(
            "timeout" to base.copy(timeout = negative),
            "connect_timeout" to base.copy(connectTimeout = negative),
            "retry_base_delay" to base.copy(retryBaseDelay = negative),
            "retry_max_delay" to base.copy(retryMaxDelay = negative),
            "total_deadline" to base.copy(totalDeadline = java.time.Duration.ofNanos(-1)),
        )
        for ((option, opts) in cases) {
            val e = assertThrows<AuthingException.Config> { ManagementClient(opts) }
            assertEq(option, e.option, "option")
            ensure(e.reason.contains("negative")) { "reason names the rule: ${e.reason}" }
        }
        assertEq(0, emu.journal().size, "no network call")
    },
    test("429 and 5xx are retried until success") { emu ->
        emu.seedEmails("dan@example.com")
        emu.fault("http_status", times = 2, status = 502)
        emu.fault("envelope_status", times = 1, status = 429, retryAfter = "0")
        val resp = emu.client().resignUserBatch(listOf("dan@example.com"), UserIdType.EMAIL)
        ensure(resp.data.success) { "success after retries" }
        val calls = emu.batchCalls()
        assertEq(4, calls.size, "attempts")
        assertEq(listOf(502L, 502L, 200L, 200L), calls.map { it["httpStatus"] }, "HTTP statuses")
        assertEq("Resigned", emu.user("dan@example.com")["status"], "status")
    },
    test("the retry budget is honoured and the last error is thrown") { emu ->
        emu.seedEmails("eve@example.com")
        emu.fault("http_status", times = 0, status = 503)
        val e = assertThrows<AuthingException> {
            emu.client(maxRetries = 2u).resignUserBatch(listOf("eve@example.com"), UserIdType.EMAIL)
        }
        ensure(e.isRetryable()) { "a 503 is retryable: $e" }
        assertEq(3, emu.batchCalls().size, "1 attempt + 2 retries")
    },
    test("the secret never shows in options, errors or messages") { emu ->
        val secret = "s3cr3t-that-must-not-leak"
        val opts = ClientOptions(accessKeyId = "id", accessKeySecret = AccessKeySecret(secret), host = emu.url)
        ensure(!opts.toString().contains(secret)) { "options.toString leaks: $opts" }
        assertEq("AccessKeySecret(***)", opts.accessKeySecret.toString(), "secret toString")
        val e = assertThrows<AuthingException> {
            emu.client(secret = secret).resignUserBatch(listOf("x@example.com"), UserIdType.EMAIL)
        }
        ensure(!e.toString().contains(secret) && !(e.message ?: "").contains(secret)) { "error leaks: $e" }
    },
)
