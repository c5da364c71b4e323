// Many coroutines sharing one client.
package authing.resign.tests

import authing.resign.*
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope

fun concurrencyTests(): List<TestCase> = listOf(
    test("100 concurrent coroutines on one client") { emu ->
        val emails = (0 until 100).map { "k$it@example.com" }
        for (auth in listOf(AuthScheme.SIGNATURE, AuthScheme.MANAGEMENT_TOKEN)) {
            emu.reset()
            emu.seedEmails(*emails.toTypedArray())
            val client = emu.client(auth = auth)
            val results = coroutineScope {
                emails.map { e -> async(Dispatchers.Default) { client.resignUserBatch(listOf(e), UserIdType.EMAIL) } }.awaitAll()
            }
            ensure(results.all { it.data.success }) { "$auth: every call succeeded" }
            assertEq(100, emu.users().count { it["status"] == "Resigned" }, "$auth: resigned on the server")
            val tokenFetches = emu.journal().count { it["path"] == "/api/v3/get-management-token" }
            if (auth == AuthScheme.MANAGEMENT_TOKEN) assertEq(1, tokenFetches, "one token fetch shared by 100 callers")
        }
    },
)
