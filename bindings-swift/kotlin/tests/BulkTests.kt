// resignUsers: the shared 500-id scenario, progress, dry run, cancellation.
package authing.resign.tests

import authing.resign.*
import java.io.File
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeoutOrNull

private fun outcomeOf(wire: String): Outcome = Outcome.valueOf(wire.uppercase())

private class Recorder(val onEvent: (BulkProgressEvent) -> Unit = {}) : BulkProgress {
    val events = CopyOnWriteArrayList<BulkProgressEvent>()
    override fun onProgress(progress: BulkProgressEvent) {
        events.add(progress)
        onEvent(progress)
    }
}

fun bulkTests(dataDir: File): List<TestCase> {
    val scenario = MiniJson.parse(File(dataDir, "bulk-500.json").readText()).obj()
    val input = scenario["input"].arr().map { it as String }
    val expected = scenario["expected"].arr().map { outcomeOf(it as String) }
    return listOf(
        test("500 ids with invalid, duplicate and unknown ones give the exact report") { emu ->
            emu.seedUsers(scenario["seedUsers"].arr().map { it.obj() })
            val progress = Recorder()
            val report = emu.client().resignUsers(input, UserIdType.EMAIL, BulkOptions(), progress)
            assertEq(input.size, report.users.size, "one line per input id")
            for ((i, line) in report.users.withIndex()) {
                assertEq(input[i], line.userId, "userId at $i")
                assertEq(expected[i], line.outcome, "outcome of ${line.userId.take(40)} at $i")
                if (line.outcome == Outcome.FAILED) {
                    assertEq((scenario["failedStatusCode"] as Long).toInt().toUShort(), line.error?.statusCode, "failed statusCode at $i")
                    assertEq((scenario["failedApiCode"] as Long).toUInt(), line.error?.apiCode, "failed apiCode at $i")
                    ensure(line.requestId != null) { "failed line $i names the deciding request" }
                }
                if (line.outcome == Outcome.INVALID) ensure(line.error?.code == "invalid_argument") { "invalid line $i: ${line.error}" }
            }
            assertEq(scenario["expectedTotals"], totalsByName(report.totals), "totals")
            assertEq(null, report.stoppedEarly, "stoppedEarly")
            ensure(report.httpCalls >= report.chunks.size.toULong()) { "httpCalls ${report.httpCalls} vs ${report.chunks.size} chunks" }
            ensure(progress.events.isNotEmpty()) { "progress was reported" }
            assertEq(500UL, progress.events.maxOf { it.done }, "last progress done")
            ensure(progress.events.all { it.total == 500UL }) { "progress total" }
            assertEq(470, emu.users().count { it["status"] == "Resigned" }, "users resigned on the server")
        },
        test("a dry run plans without sending") { emu ->
            val report = emu.client().resignUsers(input, UserIdType.EMAIL, BulkOptions(dryRun = true), null)
            ensure(report.dryRun) { "dryRun" }
            assertEq(0, emu.journal().size, "nothing sent")
            assertEq(0UL, report.totals.resigned, "resigned")
            assertEq(470UL + 10UL, report.totals.notAttempted, "not attempted = known + unknown")
            ensure(report.chunks.all { it.size <= 50 }) { "chunks of at most 50" }
        },
        test("bad bulk options throw before any call") { emu ->
            val client = emu.client()
            for (opts in listOf(BulkOptions(chunkSize = 0u), BulkOptions(chunkSize = 51u), BulkOptions(concurrency = 0u))) {
                val e = assertThrows<AuthingException> { client.resignUsers(listOf("a@example.com"), UserIdType.EMAIL, opts, null) }
                ensure(e is AuthingException.InvalidArgument || e is AuthingException.Config) { "typed option error: $e" }
            }
            val late = assertThrows<AuthingException.InvalidArgument> {
                client.resignUsers(listOf("a@example.com"), UserIdType.EMAIL, BulkOptions(deadline = Duration.ofSeconds(-1)), null)
            }
            assertEq("deadline", late.field, "field of a negative deadline")
            ensure(late.reason.contains("negative")) { "reason names the rule: ${late.reason}" }
            assertEq(0, emu.journal().size, "nothing sent")
        },
        test("cancel() stops the job before the next chunk") { emu ->
            val emails = (0 until 200).map { "c$it@example.com" }
            emu.seedEmails(*emails.toTypedArray())
            emu.fault("delay", times = 0, delayMs = 100)
            val token = CancellationToken()
            val progress = Recorder { token.cancel() }
            val report = emu.client().resignUsers(emails, UserIdType.EMAIL, BulkOptions(chunkSize = 10u, concurrency = 1u, cancel = token), progress)
            ensure(token.isCancelled()) { "token cancelled" }
            assertEq("cancelled", report.stoppedEarly?.code, "stoppedEarly")
            ensure(report.totals.resigned in 10UL..20UL) { "resigned ${report.totals.resigned}" }
            assertEq(200UL, report.totals.resigned + report.totals.notAttempted, "totals add up")
            assertEq(report.totals.resigned.toInt(), emu.users().count { it["status"] == "Resigned" }, "server agrees")
        },
        test("a cancelled job keeps its journal; resumeFrom skips what it resigned") { emu ->
            val emails = (0 until 60).map { "jr$it@example.com" }
            emu.seedEmails(*emails.toTypedArray())
            emu.fault("delay", times = 0, delayMs = 50)
            val journal = File.createTempFile("authing-resign-", ".journal").also { it.delete() }
            try {
                val token = CancellationToken()
                val first = emu.client().resignUsers(
                    emails, UserIdType.EMAIL,
                    BulkOptions(chunkSize = 10u, concurrency = 1u, cancel = token, journal = journal.path),
                    Recorder { token.cancel() },
                )
                assertEq("cancelled", first.stoppedEarly?.code, "the partial report says why")
                val done = first.users.filter { it.outcome == Outcome.RESIGNED }.map { it.userId }.toSet()
                ensure(done.isNotEmpty() && done.size < 60) { "partly done: ${done.size}" }
                val sentBefore = emu.journal().size
                val second = emu.client().resignUsers(
                    emails, UserIdType.EMAIL, BulkOptions(chunkSize = 10u, journal = journal.path, resumeFrom = journal.path), null,
                )
                assertEq(60UL, second.totals.resigned, "everyone resigned in the end")
                assertEq(done, second.users.filter { it.earlierRun }.map { it.userId }.toSet(), "earlierRun")
                assertEq((60 - done.size + 9) / 10, emu.journal().size - sentBefore, "only the rest is sent")
                try {
                    emu.client().resignUsers(emails, UserIdType.EMAIL, BulkOptions(journal = journal.path), null)
                    ensure(false) { "an existing journal must be refused" }
                } catch (e: AuthingException.Journal) {
                    ensure(e.reason.contains("never overwritten")) { e.reason }
                }
            } finally {
                journal.delete()
            }
        },
        test("a token cancelled up front sends nothing") { emu ->
            val token = CancellationToken().also { it.cancel() }
            val report = emu.client().resignUsers(listOf("a@example.com", "b@example.com"), UserIdType.EMAIL, BulkOptions(cancel = token), null)
            assertEq(2UL, report.totals.notAttempted, "not attempted")
            assertEq(0, emu.journal().size, "nothing sent")
        },
        test("a throwing progress callback does not break the job") { emu ->
            emu.seedEmails("p1@example.com", "p2@example.com")
            val report = emu.client().resignUsers(
                listOf("p1@example.com", "p2@example.com"), UserIdType.EMAIL, BulkOptions(chunkSize = 1u),
                Recorder { throw IllegalStateException("boom from Kotlin") },
            )
            assertEq(2UL, report.totals.resigned, "resigned")
        },
        test("cancelling the coroutine stops the Rust retry loop") { emu ->
            emu.fault("http_status", times = 0, status = 503)
            val client = ManagementClient(
                ClientOptions(
                    accessKeyId = Emulator.KEY_ID, accessKeySecret = AccessKeySecret(Emulator.KEY_SECRET), host = emu.url,
                    maxRetries = 1000u, retryBaseDelay = Duration.ofMillis(5), retryMaxDelay = Duration.ofMillis(20),
                )
            )
            val result = withTimeoutOrNull(1_000) { client.resignUserBatch(listOf("r@example.com"), UserIdType.EMAIL) }
            assertEq(null, result, "cancelled call has no result")
            val afterCancel = emu.batchCalls().size
            ensure(afterCancel > 1) { "the call was retrying ($afterCancel attempts)" }
            delay(500)
            // A task left running would retry every <= 20 ms.
            ensure(emu.batchCalls().size <= afterCancel + 1) { "attempts went on after cancellation: $afterCancel -> ${emu.batchCalls().size}" }
        },
        test("cancelling the coroutine returns at once and the client stays usable") { emu ->
            emu.seedEmails("slow@example.com")
            emu.fault("delay", times = 0, delayMs = 10_000)
            val client = emu.client()
            val started = System.nanoTime()
            val result = withTimeoutOrNull(300) { client.resignUserBatch(listOf("slow@example.com"), UserIdType.EMAIL) }
            val ms = (System.nanoTime() - started) / 1_000_000
            assertEq(null, result, "cancelled call has no result")
            ensure(ms < 8_000) { "the call waited for the server (${ms} ms) instead of ending when cancelled" }
            emu.clearFaults()
            // The client stays usable after an abandoned call.
            ensure(client.resignUserBatch(listOf("slow@example.com"), UserIdType.EMAIL).data.success) { "next call works" }
        },
    )
}
