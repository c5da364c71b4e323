// Hostile ids through the Kotlin binding: a seeded generator of arbitrary Unicode built
// from the pieces in tests/data/hostile-ids.json plus lone surrogates (a Kotlin String
// can hold them), sent to the emulator. For every batch: refused before anything is
// sent with AuthingException.InvalidArgument naming the index, or received
// byte-identical under a signature the emulator verified. Never altered.
// HOSTILE_SEED=<n> replays a run (the seed is printed).
package authing.resign.tests

import authing.resign.*
import java.io.File
import java.util.Random

private const val ROUTE = "/api/v3/resign-user-batch"

/** Whether UTF-8 can carry [id] (no lone surrogate): an oracle independent of the binding. */
private fun encodable(id: String) = Charsets.UTF_8.newEncoder().canEncode(id)

private class HostileIds(dataDir: File) {
    val data = MiniJson.parse(File(dataDir, "hostile-ids.json").readText()).obj()
    val lone = data["lone_surrogates"].arr().map { (it as String).toInt(16).toChar().toString() }
    val pieces = data["pieces"].obj().values.flatMap { it.arr().map { p -> p as String } } + lone
    val maxPieces = (data["max_pieces"] as Long).toInt()
    val batchMax = (data["batch_max"] as Long).toInt()
    val longRepeat = (data["long_repeat"] as Long).toInt()
    val seen = mutableMapOf("lone" to 0, "invalid" to 0, "received" to 0)

    fun id(rnd: Random): String {
        val text = (0 until rnd.nextInt(maxPieces + 1)).joinToString("") { pieces[rnd.nextInt(pieces.size)] }
        return if (text.isNotEmpty() && rnd.nextInt(20) == 0) text.repeat(longRepeat / text.length + 1) else text
    }

    /** Sends one batch and checks each id's fate. */
    suspend fun check(emu: Emulator, client: ManagementClient, ids: List<String>, type: UserIdType) {
        emu.reset()
        emu.patchSettings(mapOf("unknownIds" to "ignore"))
        val error = try {
            client.resignUserBatch(ids, type)
            null
        } catch (e: AuthingException) {
            e
        }
        val sent = emu.batchCalls()
        val lone = ids.indexOfFirst { !encodable(it) }
        if (lone >= 0) {
            ensure(error is AuthingException.InvalidArgument) { "lone surrogate at $lone: $error" }
            error as AuthingException.InvalidArgument
            assertEq("userIds", error.field, "field")
            assertEq(lone.toULong(), error.index, "index of the first id with a lone surrogate")
            ensure(error.message!!.contains("`userIds[$lone]`") && error.reason.contains("surrogate")) { error.message!! }
            assertEq(0, sent.size, "refused, yet sent")
            seen["lone"] = seen.getValue("lone") + 1
            return
        }
        if (error != null) {
            seen["invalid"] = seen.getValue("invalid") + 1
            ensure(error is AuthingException.InvalidArgument) { "unexpected $error" }
            error as AuthingException.InvalidArgument
            assertEq(0, sent.size, "refused, yet sent")
            if (ids.isEmpty() || ids.size > batchMax) {
                assertEq(null, error.index, "index of a list-size error")
                return
            }
            assertEq("userIds", error.field, "field")
            // The dry-run plan judges each id on its own without sending anything: its
            // first invalid id is the one the error names.
            val plan = client.resignUsers(ids, type, BulkOptions(dryRun = true), null)
            val first = plan.users.indexOfFirst { it.outcome == Outcome.INVALID }
            assertEq(first.toULong(), error.index, "index named (${error.message})")
            return
        }
        assertEq(1, sent.size, "one call")
        assertEq("signature", sent[0]["auth"], "auth")
        assertEq(200L, sent[0]["statusCode"], "the emulator verified the signature and took the batch")
        assertEq(ids, sent[0]["body"].obj()["userIds"], "received byte-identical, in order")
        seen["received"] = seen.getValue("received") + 1
    }
}

fun hostileIdTests(dataDir: File): List<TestCase> {
    val seed = System.getenv("HOSTILE_SEED")?.toLong() ?: 20261201L
    val gen = HostileIds(dataDir)
    return listOf(
        test("hostile batches: refused by index before sending, or received unaltered (seed $seed)") { emu ->
            val rnd = Random(seed)
            val client = emu.client()
            repeat(150) {
                val ids = (0 until rnd.nextInt(gen.batchMax + 3)).map { gen.id(rnd) }
                gen.check(emu, client, ids, UserIdType.values()[rnd.nextInt(UserIdType.values().size)])
            }
        },
        test("hostile single ids, one per batch (seed ${seed + 1})") { emu ->
            val rnd = Random(seed + 1)
            val client = emu.client()
            repeat(150) { gen.check(emu, client, listOf(gen.id(rnd)), UserIdType.USERNAME) }
            println("hostile ids: ${gen.seen}")
            for ((fate, n) in gen.seen) ensure(n > 0) { "no batch was $fate (${gen.seen})" }
        },
        test("lone surrogates are refused by resignUser and resignUsers too, nothing sent") { emu ->
            val client = emu.client()
            val single = assertThrows<AuthingException.InvalidArgument> { client.resignUser("x\uD800", null) }
            assertEq("userId", single.field, "field")
            assertEq(null, single.index, "index")
            ensure(single.message!!.startsWith("invalid argument `userId`:")) { single.message!! }
            // 'x\uD800' and 'x\uDC00' would both become 'x\uFFFD': never sent as one id.
            val bulk = assertThrows<AuthingException.InvalidArgument> {
                client.resignUsers(listOf("ok@example.com", "x\uD800", "x\uDC00"), UserIdType.EMAIL, BulkOptions(), null)
            }
            assertEq(1UL, bulk.index, "index")
            val job = assertThrows<AuthingException.InvalidArgument> {
                client.startResignUsers(listOf("\uDC00x"), UserIdType.EMAIL, BulkOptions(), null)
            }
            assertEq(0UL, job.index, "index")
            // A pair split over two pieces is a character, not a lone surrogate.
            emu.patchSettings(mapOf("unknownIds" to "ignore"))
            client.resignUserBatch(listOf("\uD83D" + "\uDE00"), UserIdType.USERNAME)
            assertEq(listOf("\uD83D\uDE00"), emu.batchCalls().single()["body"].obj()["userIds"], "pair sent as given")
        },
    )
}
