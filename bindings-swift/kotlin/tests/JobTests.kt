// Bulk jobs and coroutine cancellation: a cancelled coroutine stops the job cooperatively
// (calls in flight finish and are journaled) and BulkJob.await() hands back the partial
// report; verify and verifyOnly.
package authing.resign.tests

import authing.resign.*
import java.io.File
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch

private fun tempJournal(): File = File.createTempFile("authing-resign-", ".journal").also { it.delete() }

private fun Emulator.resignedEmails(): Set<String> =
    users().filter { it["status"] == "Resigned" }.map { it["email"] as String }.toSet()

/** Waits until the emulator has taken no resignation call for [quietMs] (the job ended). */
private suspend fun Emulator.awaitQuiet(quietMs: Long = 400): Int {
    var last = -1
    while (true) {
        val now = batchCalls().size
        if (now == last) return now
        last = now
        delay(quietMs)
    }
}

/** Seeds 200 users `<prefix><n>@example.com`, delays every call by 100 ms, and runs [body]
 * with a client, the emails and a journal path (deleted after). */
private suspend fun Emulator.slowJob(prefix: String, body: suspend (ManagementClient, List<String>, File) -> Unit) {
    val emails = (0 until 200).map { "$prefix$it@example.com" }
    seedEmails(*emails.toTypedArray())
    fault("delay", times = 0, delayMs = 100)
    val journal = tempJournal()
    try {
        body(client(), emails, journal)
    } finally {
        journal.delete()
    }
}

/** Resumes a job of [emails] from [journal]; returns the users the earlier run resigned. */
private suspend fun ManagementClient.resumeAll(emails: List<String>, journal: File): Set<String> {
    val opts = BulkOptions(chunkSize = 10u, journal = journal.path, resumeFrom = journal.path)
    val report = resignUsers(emails, UserIdType.EMAIL, opts, null)
    assertEq(emails.size.toULong(), report.totals.resigned, "everyone resigned in the end")
    return report.users.filter { it.earlierRun }.map { it.userId }.toSet()
}

fun jobTests(): List<TestCase> = listOf(
    test("cancelling the coroutine awaiting a job throws BulkJobCancelledException with the partial report") { emu ->
        emu.slowJob("k") { client, emails, journal ->
            val job = client.startResignUsers(
                emails, UserIdType.EMAIL, BulkOptions(chunkSize = 10u, concurrency = 2u, journal = journal.path), null,
            )
            var caught: BulkJobCancelledException? = null
            coroutineScope {
                val waiter = launch {
                    try {
                        job.await()
                    } catch (e: BulkJobCancelledException) {
                        caught = e
                        throw e
                    }
                }
                delay(350)
                waiter.cancelAndJoin()
            }
            val report = caught?.report ?: throw AssertionFailed("no partial report: $caught")
            ensure(job.isFinished()) { "the job ended before the report was handed back" }
            assertEq("cancelled", report.stoppedEarly?.code, "stoppedEarly")
            val resigned = report.users.filter { it.outcome == Outcome.RESIGNED }.map { it.userId }.toSet()
            ensure(resigned.size in 10 until 200) { "partly done: ${resigned.size}" }
            // Calls in flight finished: nobody is unknown or failed, and the server agrees.
            assertEq(200UL, report.totals.resigned + report.totals.notAttempted, "totals ${report.totals}")
            val calls = emu.awaitQuiet()
            assertEq(resigned, emu.resignedEmails(), "the report holds every user the server resigned")
            assertEq(resigned.size / 10, calls, "no call after the job ended")
            ensure(caught!!.message!!.contains("${resigned.size} resigned")) { caught!!.message!! }
            // report() can be asked again and gives the same report.
            assertEq(report, job.report(), "report() again")
            assertEq(resigned, client.resumeAll(emails, journal), "the journal resumes: earlierRun")
        }
    },
    test("cancelling the coroutine running resignUsers stops the job cooperatively; its journal has every resigned user") { emu ->
        emu.slowJob("q") { client, emails, journal ->
            coroutineScope {
                val running = launch {
                    client.resignUsers(emails, UserIdType.EMAIL, BulkOptions(chunkSize = 10u, concurrency = 2u, journal = journal.path), null)
                }
                delay(350)
                running.cancelAndJoin()
            }
            val calls = emu.awaitQuiet()
            ensure(calls in 1 until 20) { "the job stopped early: $calls calls" }
            val resigned = emu.resignedEmails()
            // In-flight calls finished (no call was cut), and the journal recorded them.
            assertEq(calls * 10, resigned.size, "each call sent finished")
            assertEq(resigned, client.resumeAll(emails, journal), "journal = server")
        }
    },
    test("BulkJob: cancel() keeps calls in flight, abort() cuts them, report() is shared") { emu ->
        val emails = (0 until 40).map { "h$it@example.com" }
        emu.seedEmails(*emails.toTypedArray())
        emu.fault("delay", times = 0, delayMs = 300)
        val client = emu.client()
        val job = client.startResignUsers(emails.take(20), UserIdType.EMAIL, BulkOptions(chunkSize = 10u, concurrency = 1u), null)
        delay(100)
        job.cancel()
        val report = job.report()
        assertEq("cancelled", report.stoppedEarly?.code, "stoppedEarly")
        assertEq(10UL, report.totals.resigned, "the call in flight finished")
        assertEq(10UL, report.totals.notAttempted, "the rest was never sent")
        assertEq(report, job.report(), "the same report twice")
        val cut = client.startResignUsers(emails.drop(20), UserIdType.EMAIL, BulkOptions(chunkSize = 10u, concurrency = 1u), null)
        delay(100)
        cut.abort()
        val aborted = cut.report()
        ensure(aborted.totals.resigned == 0UL) { "nothing confirmed: ${aborted.totals}" }
        // The cut call's users may have been resigned: unknown, never failed or resigned.
        assertEq(List(10) { Outcome.UNKNOWN }, aborted.users.take(10).map { it.outcome }, "outcomes of the cut call")
        assertEq(List(10) { Outcome.NOT_ATTEMPTED }, aborted.users.drop(10).map { it.outcome }, "outcomes of the rest")
        assertEq("cancelled", aborted.users[0].error?.code, "why")
    },
    test("a job's option errors come from report() and await()") { emu ->
        val journal = tempJournal().also { it.writeText("not a journal\n") }
        try {
            val job = emu.client().startResignUsers(listOf("a@example.com"), UserIdType.EMAIL, BulkOptions(journal = journal.path), null)
            val e = assertThrows<AuthingException.Journal> { job.await() }
            assertEq(journal.path, e.path, "path")
            assertEq(0, emu.journal().size, "nothing sent")
        } finally {
            journal.delete()
        }
    },
    test("verify reads the users back; verifyOnly resigns nobody") { emu ->
        emu.seedEmails("v1@example.com", "v2@example.com", "v3@example.com")
        val client = emu.client()
        val report = client.resignUsers(listOf("v1@example.com", "v2@example.com"), UserIdType.EMAIL, BulkOptions(verify = true), null)
        for (u in report.users) {
            assertEq(Outcome.RESIGNED, u.outcome, "outcome of ${u.userId}")
            assertEq(true, u.verified, "verified ${u.userId}")
            assertEq("Resigned", u.status, "status ${u.userId}")
        }
        val before = emu.batchCalls().size
        val audit = client.resignUsers(
            listOf("v1@example.com", "v3@example.com", "ghost@example.com"), UserIdType.EMAIL, BulkOptions(verifyOnly = true), null,
        )
        assertEq(before, emu.batchCalls().size, "verifyOnly sent no resignation")
        assertEq(listOf("Resigned", "Activated", null), audit.users.map { it.status }, "statuses seen")
        assertEq(listOf(true, true, false), audit.users.map { it.verified }, "verified")
        ensure(audit.users.all { it.outcome == Outcome.NOT_ATTEMPTED }) { "outcomes ${audit.users.map { it.outcome }}" }
        assertEq("Activated", emu.user("v3@example.com")["status"], "v3 untouched")
    },
)
