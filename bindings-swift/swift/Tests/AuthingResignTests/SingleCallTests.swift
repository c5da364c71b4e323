// One call: both authentication schemes, typed errors with their fields, local rules.
import AuthingResign
import XCTest

final class SingleCallTests: XCTestCase {
    func testOneUserIsResignedWithRequestSignatures() async throws {
        let resp = try await client(auth: .signature)
            .resignUserBatch(userIds: Emulator.emails("single", 0..<2), userIdType: .email)
        XCTAssertEqual(resp.statusCode, 200)
        XCTAssertTrue(resp.data.success)
        XCTAssertNotNil(resp.requestId)
    }

    func testOneUserIsResignedWithAManagementToken() async throws {
        let c = try client(auth: .managementToken)
        let first = try await c.resignUser(userId: Emulator.emails("single", 2..<3)[0], userIdType: .email)
        // The token is cached: a second call on the same client works the same way.
        let second = try await c.resignUser(userId: Emulator.emails("single", 3..<4)[0], userIdType: .email)
        for resp in [first, second] {
            XCTAssertEqual(resp.statusCode, 200)
            XCTAssertTrue(resp.data.success)
        }
        // userIdType nil is the server's default (user_id): an email is no user id there.
        let e = await authingError {
            try await c.resignUser(userId: Emulator.emails("single", 4..<5)[0], userIdType: nil)
        }
        guard case let .Api(statusCode, apiCode, _, _, _) = e else {
            return XCTFail("expected Api, got \(String(describing: e))")
        }
        XCTAssertEqual(statusCode, 404)
        XCTAssertEqual(apiCode, 2004)
    }

    func testAnUnknownUserIsATypedApiErrorWithItsFields() async throws {
        let c = try client()
        let e = await authingError { try await c.resignUserBatch(userIds: ["nobody@example.com"], userIdType: .email) }
        guard case let .Api(statusCode, apiCode, message, requestId, httpStatus) = e else {
            return XCTFail("expected Api, got \(String(describing: e))")
        }
        XCTAssertEqual(statusCode, 404)
        XCTAssertEqual(apiCode, 2004)
        XCTAssertFalse(message.isEmpty)
        XCTAssertNotNil(requestId)
        XCTAssertEqual(httpStatus, 200)
        XCTAssertEqual(e?.code(), "api_error")
        XCTAssertEqual(e?.isRetryable(), false)
        XCTAssertEqual(e?.isAuth(), false)
    }

    func testAWrongSecretIsAnAuthErrorForBothSchemes() async throws {
        for scheme in [AuthScheme.signature, AuthScheme.managementToken] {
            let c = try client(auth: scheme, secret: "not-the-secret")
            let e = await authingError { try await c.resignUserBatch(userIds: ["a@example.com"], userIdType: .email) }
            guard case .Api = e else { return XCTFail("\(scheme): expected Api, got \(String(describing: e))") }
            XCTAssertEqual(e?.isAuth(), true, "\(scheme)")
        }
    }

    func testFiftyOneIdsAreRefusedBeforeAnyCall() async throws {
        // A closed port: had anything been sent, the error would be Transport.
        let c = try client(host: "http://127.0.0.1:9")
        let ids = Emulator.emails("never", 0..<51)
        let e = await authingError { try await c.resignUserBatch(userIds: ids, userIdType: .email) }
        guard case let .InvalidArgument(field, index, reason) = e else {
            return XCTFail("expected InvalidArgument, got \(String(describing: e))")
        }
        XCTAssertEqual(field, "userIds")
        XCTAssertNil(index)
        XCTAssertTrue(reason.contains("50"), reason)
        XCTAssertEqual(e?.code(), "invalid_argument")
        // Fifty are fine as far as the local rules go (the port is closed, so Transport).
        let fifty = await authingError { try await c.resignUserBatch(userIds: Array(ids.prefix(50)), userIdType: .email) }
        guard case .Transport = fifty else { return XCTFail("expected Transport, got \(String(describing: fifty))") }
        XCTAssertEqual(fifty?.isRetryable(), true)
    }

    func testABadIdIsNamedByFieldAndIndex() async throws {
        let c = try client(host: "http://127.0.0.1:9")
        let e = await authingError {
            try await c.resignUserBatch(userIds: ["ok@example.com", " padded@example.com"], userIdType: .email)
        }
        guard case let .InvalidArgument(field, index, _) = e else {
            return XCTFail("expected InvalidArgument, got \(String(describing: e))")
        }
        XCTAssertEqual(field, "userIds")
        XCTAssertEqual(index, 1)
    }
}
