// Bulk jobs: exact per-user outcomes, progress reported to a Swift callback, dry run and
// cancellation.
import AuthingResign
import XCTest

final class BulkTests: XCTestCase {
    func testABulkJobReportsEveryUserAndCallsTheSwiftProgressCallback() async throws {
        let known = Emulator.emails("bulk", 0..<120)
        // An invalid id, a duplicate and an unknown user among 120 known ones.
        let input = known + ["", known[3], "ghost@example.com"]
        let recorder = Recorder()
        let report = try await client().resignUsers(
            userIds: input, userIdType: .email,
            options: BulkOptions(chunkSize: 25, concurrency: 3), progress: recorder)
        XCTAssertEqual(report.users.count, input.count)
        XCTAssertEqual(report.totals.resigned, 120)
        XCTAssertEqual(report.totals.invalid, 1)
        XCTAssertEqual(report.totals.duplicate, 1)
        XCTAssertEqual(report.totals.failed, 1)
        XCTAssertEqual(report.totals.notAttempted, 0)
        XCTAssertNil(report.stoppedEarly)
        XCTAssertFalse(report.dryRun)
        XCTAssertEqual(report.userIdType, .email)
        XCTAssertEqual(report.users[120].outcome, .invalid)
        XCTAssertEqual(report.users[121].outcome, .duplicate)
        let ghost = report.users[122]
        XCTAssertEqual(ghost.outcome, .failed)
        XCTAssertEqual(ghost.error?.apiCode, 2004)
        XCTAssertTrue(report.users[0..<120].allSatisfy { $0.outcome == .resigned && $0.requestId != nil })

        let events = recorder.seen
        XCTAssertFalse(events.isEmpty)
        XCTAssertEqual(events.last?.done, events.last?.total)
        XCTAssertEqual(events.last?.totals, report.totals)
        XCTAssertEqual(events.map(\.done), events.map(\.done).sorted(), "progress never goes back")
    }

    func testADryRunPlansWithoutSending() async throws {
        // A closed port: a dry run contacts nobody.
        let c = try client(host: "http://127.0.0.1:9")
        let ids = Emulator.emails("dry", 0..<120)
        let report = try await c.resignUsers(userIds: ids, userIdType: .email,
                                             options: BulkOptions(dryRun: true), progress: nil)
        XCTAssertTrue(report.dryRun)
        XCTAssertEqual(report.chunks.map(\.count), [50, 50, 20])
        XCTAssertEqual(report.httpCalls, 0)
        XCTAssertEqual(report.totals.notAttempted, 120)
    }

    func testACancelledTokenStopsTheJobAndReportsTheRestNotAttempted() async throws {
        let token = CancellationToken()
        token.cancel()
        XCTAssertTrue(token.isCancelled())
        let ids = Emulator.emails("cancel", 0..<60)
        let report = try await client().resignUsers(
            userIds: ids, userIdType: .email, options: BulkOptions(chunkSize: 10, cancel: token), progress: nil)
        XCTAssertEqual(report.stoppedEarly?.code, "cancelled")
        XCTAssertEqual(report.totals.notAttempted, 60)
        XCTAssertEqual(report.totals.resigned, 0)
        XCTAssertTrue(report.users.allSatisfy { $0.outcome == .notAttempted })
    }

    func testCancellingFromTheProgressCallbackStopsBeforeTheNextChunk() async throws {
        final class CancelAfterFirst: BulkProgress, @unchecked Sendable {
            let token: CancellationToken
            init(_ token: CancellationToken) { self.token = token }
            func onProgress(progress: BulkProgressEvent) throws {
                if progress.done > 0 { token.cancel() }
            }
        }
        let token = CancellationToken()
        let ids = Emulator.emails("cancel", 100..<200)
        let report = try await client().resignUsers(
            userIds: ids, userIdType: .email,
            options: BulkOptions(chunkSize: 10, concurrency: 1, cancel: token), progress: CancelAfterFirst(token))
        XCTAssertEqual(report.stoppedEarly?.code, "cancelled")
        XCTAssertGreaterThanOrEqual(report.totals.resigned, 10)
        XCTAssertLessThan(report.totals.resigned, 100)
        XCTAssertEqual(report.totals.resigned + report.totals.notAttempted, 100)
    }
}
