// Hand-written Swift shipped with the generated bindings (generate.sh copies it into
// Sources/AuthingResign/): Task cancellation of a bulk job that hands back what it did.

extension BulkJob {
    /// Waits for the job's report, like `Task.value`. If the current Task is cancelled
    /// meanwhile, the job is cancelled cooperatively (no chunk starts after that, calls
    /// in flight finish and are journaled) and its partial report is returned: every
    /// user the server resigned is in it as resigned, unsent users are `.notAttempted`,
    /// and `stoppedEarly?.code` is `"cancelled"`. Throws what `resignUsers` throws
    /// before sending (bad options, journal, resume mismatch).
    public var value: BulkReport {
        get async throws {
            // uniffi's generated `report()` ignores Task cancellation and waits for the
            // job, so cancelling the job is all the handler has to do.
            try await withTaskCancellationHandler {
                try await report()
            } onCancel: {
                cancel()
            }
        }
    }
}
