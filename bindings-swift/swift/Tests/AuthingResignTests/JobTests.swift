// A bulk job's record and its ending: the journal and resumeFrom, and Task cancellation
// that hands back the partial report (BulkJob.value).
import AuthingResign
import Foundation
import XCTest

/// Calls `action` once, from the first progress event after a chunk.
final class AfterFirstChunk: BulkProgress, @unchecked Sendable {
    private let lock = NSLock()
    private var action: (() -> Void)?
    init(_ action: @escaping () -> Void) { self.action = action }

    func onProgress(progress: BulkProgressEvent) throws {
        guard progress.done > 0 else { return }
        lock.lock()
        let run = action
        action = nil
        lock.unlock()
        run?()
    }
}

final class JobTests: XCTestCase {
    private func journalPath() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("authing-resign-\(UUID().uuidString).journal").path
    }

    func testAJournalLetsResumeFromSkipTheResignedUsers() async throws {
        let ids = Emulator.emails("journal", 0..<60)
        let path = journalPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let token = CancellationToken()
        try slowBatches(150)
        defer { try? clearFaults() }
        let first = try await client().resignUsers(
            userIds: ids, userIdType: .email,
            options: BulkOptions(chunkSize: 10, concurrency: 1, cancel: token, journal: path),
            progress: AfterFirstChunk { token.cancel() })
        try clearFaults()
        XCTAssertEqual(first.stoppedEarly?.code, "cancelled")
        let done = Set(first.users.filter { $0.outcome == .resigned }.map(\.userId))
        XCTAssertFalse(done.isEmpty)
        XCTAssertLessThan(done.count, 60)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "the journal is on disk")

        let second = try await client().resignUsers(
            userIds: ids, userIdType: .email,
            options: BulkOptions(chunkSize: 10, journal: path, resumeFrom: path), progress: nil)
        XCTAssertEqual(second.totals.resigned, 60)
        XCTAssertEqual(Set(second.users.filter(\.earlierRun).map(\.userId)), done, "skipped: the earlier run's")
        XCTAssertEqual(second.httpCalls, UInt64((60 - done.count + 9) / 10), "only the rest was sent")

        // A journal is never overwritten by a job that does not resume from it.
        let e = await authingError {
            try await client().resignUsers(userIds: ids, userIdType: .email,
                                           options: BulkOptions(journal: path), progress: nil)
        }
        guard case .Journal(let recorded, _)? = e else { return XCTFail("expected Journal, got \(String(describing: e))") }
        XCTAssertEqual(recorded, path)
    }

    func testCancellingTheTaskReturnsThePartialReport() async throws {
        let ids = Emulator.emails("task", 0..<200)
        let path = journalPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let holder = TaskHolder()
        try slowBatches(150)
        defer { try? clearFaults() }
        let job = try client().startResignUsers(
            userIds: ids, userIdType: .email,
            options: BulkOptions(chunkSize: 10, concurrency: 1, journal: path),
            progress: AfterFirstChunk { holder.cancel() })
        let task = Task { try await job.value }
        holder.set(task)
        let report = try await task.value
        XCTAssertTrue(task.isCancelled)
        XCTAssertTrue(job.isFinished())
        XCTAssertEqual(report.stoppedEarly?.code, "cancelled")
        XCTAssertGreaterThanOrEqual(report.totals.resigned, 10)
        XCTAssertLessThan(report.totals.resigned, 200)
        XCTAssertEqual(report.totals.resigned + report.totals.notAttempted, 200, "calls in flight finished")
        let again = try await job.report()
        XCTAssertEqual(again, report, "report() gives the same report")
    }
}

/// The Task to cancel, set after the job started (the callback may run before that).
final class TaskHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<BulkReport, Error>?
    private var cancelled = false

    func set(_ task: Task<BulkReport, Error>) {
        lock.lock()
        self.task = task
        let early = cancelled
        lock.unlock()
        if early { task.cancel() }
    }

    func cancel() {
        lock.lock()
        cancelled = true
        let t = task
        lock.unlock()
        t?.cancel()
    }
}
