// Hand-written Kotlin shipped with the generated bindings (JVM jar and Android module):
// coroutine cancellation of a bulk job that hands back what the job did.
package authing.resign

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext

/**
 * The coroutine awaiting a [BulkJob] was cancelled. The job was cancelled cooperatively
 * (no chunk started after that, calls in flight finished and were journaled) and
 * [report] is its partial report: every user the server resigned is in it as resigned,
 * unsent users are `NOT_ATTEMPTED`, `stoppedEarly.code` is `"cancelled"`. [report] is
 * null only when the job failed before sending anything ([failure] then says why).
 *
 * It is a [CancellationException], so structured concurrency treats it as the
 * cancellation it is; catch it where the report is wanted.
 */
class BulkJobCancelledException(
    val report: BulkReport?,
    val failure: AuthingException?,
    cause: CancellationException,
) : CancellationException(
    if (report != null) "bulk job cancelled: ${report.totals.resigned} resigned, ${report.totals.notAttempted} not attempted"
    else "bulk job cancelled: ${failure?.message}"
) {
    init {
        initCause(cause)
    }
}

/**
 * Waits for the job's report, like `Deferred.await()`. If the calling coroutine is
 * cancelled meanwhile, the job is cancelled cooperatively, its end is awaited (without
 * cancellation: calls in flight finish, bounded by the client's timeouts), and a
 * [BulkJobCancelledException] carrying the partial report is thrown.
 */
suspend fun BulkJob.await(): BulkReport = try {
    report()
} catch (e: CancellationException) {
    cancel()
    val (partial, failure) = withContext(NonCancellable) {
        try {
            report() to null
        } catch (f: AuthingException) {
            null to f
        }
    }
    throw BulkJobCancelledException(partial, failure, e)
}
