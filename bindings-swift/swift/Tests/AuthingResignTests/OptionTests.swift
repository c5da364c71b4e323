// Client and bulk options: typed errors naming the option, and secrets never printed.
import AuthingResign
import XCTest

final class OptionTests: XCTestCase {
    func testBadClientOptionsAreConfigErrorsNamingTheOption() throws {
        for (opts, option) in [
            (options(timeout: -1), "timeout"),
            (options(host: "not a url"), "host"),
        ] {
            XCTAssertThrowsError(try ManagementClient(options: opts)) { error in
                guard case let AuthingError.Config(name, reason) = error else {
                    return XCTFail("expected Config, got \(error)")
                }
                XCTAssertEqual(name, option)
                XCTAssertFalse(reason.isEmpty)
                XCTAssertEqual((error as? AuthingError)?.code(), "config")
            }
        }
    }

    func testBadBulkOptionsAreRefusedNamingTheField() async throws {
        let c = try client(host: "http://127.0.0.1:9")
        for (opts, field) in [
            (BulkOptions(chunkSize: 51), "chunk_size"),
            (BulkOptions(concurrency: 0), "concurrency"),
            (BulkOptions(deadline: -1), "deadline"),
        ] {
            let e = await authingError {
                try await c.resignUsers(userIds: ["a@example.com"], userIdType: .email, options: opts, progress: nil)
            }
            guard case let .InvalidArgument(name, _, _) = e else {
                return XCTFail("\(field): expected InvalidArgument, got \(String(describing: e))")
            }
            XCTAssertEqual(name, field)
        }
    }

    func testTheSecretNeverAppearsInDescriptionsOrErrors() async throws {
        let secret = "s3cr3t-value-that-must-not-leak"
        let opts = options(secret: secret)
        for text in [
            String(describing: opts),
            String(reflecting: opts),
            "\(opts.accessKeySecret)",
            String(describing: opts.accessKeySecret),
        ] {
            XCTAssertFalse(text.contains(secret), text)
        }
        XCTAssertTrue(String(describing: opts.accessKeySecret).contains("***"))
        let c = try ManagementClient(options: opts)
        let e = await authingError { try await c.resignUserBatch(userIds: ["a@example.com"], userIdType: .email) }
        for text in [String(describing: e), String(reflecting: e), e?.localizedDescription ?? ""] {
            XCTAssertFalse(text.contains(secret), text)
        }
    }
}
