// Shared helpers: the emulator the suite talks to and clients pointed at it.
import AuthingResign
import Foundation
import XCTest

/// The emulator started by the test runner (bindings-swift/swift/run-tests.sh):
/// its URL and the users it was seeded with, from the environment.
enum Emulator {
    static let keyId = "emulator-access-key-id"
    static let keySecret = "emulator-access-key-secret"

    static var url: String {
        guard let url = ProcessInfo.processInfo.environment["AUTHING_EMULATOR_URL"], !url.isEmpty else {
            fatalError("AUTHING_EMULATOR_URL is not set: run the suite with `make test-swift`")
        }
        return url
    }

    /// Every test owns a block of seeded users (`swift-<block>-<n>@example.com`,
    /// n in 0..<200) so that tests do not depend on each other's resignations.
    static func emails(_ block: String, _ range: Range<Int>) -> [String] {
        range.map { "swift-\(block)-\($0)@example.com" }
    }
}

func options(
    auth: AuthScheme? = nil,
    secret: String = Emulator.keySecret,
    host: String = Emulator.url,
    maxRetries: UInt32? = nil,
    timeout: Interval? = nil
) -> ClientOptions {
    ClientOptions(
        accessKeyId: Emulator.keyId,
        accessKeySecret: AccessKeySecret(secret: secret),
        host: host,
        auth: auth,
        timeout: timeout,
        maxRetries: maxRetries,
        // Keep retried tests fast; the backoff itself is the core's and tested there.
        retryBaseDelay: 0.01
    )
}

func client(auth: AuthScheme? = nil, secret: String = Emulator.keySecret, host: String = Emulator.url,
            maxRetries: UInt32? = nil) throws -> ManagementClient {
    try ManagementClient(options: options(auth: auth, secret: secret, host: host, maxRetries: maxRetries))
}

/// Runs `body`, which must throw an `AuthingError`, and returns it.
func authingError<T>(_ body: () async throws -> T, file: StaticString = #filePath, line: UInt = #line) async -> AuthingError? {
    do {
        let value = try await body()
        XCTFail("expected an AuthingError, got \(value)", file: file, line: line)
    } catch let e as AuthingError {
        return e
    } catch {
        XCTFail("expected an AuthingError, got \(error)", file: file, line: line)
    }
    return nil
}

/// A progress callback implemented in Swift, recording every event.
final class Recorder: BulkProgress, @unchecked Sendable {
    private let lock = NSLock()
    private var events: [BulkProgressEvent] = []

    func onProgress(progress: BulkProgressEvent) throws {
        lock.lock()
        defer { lock.unlock() }
        events.append(progress)
    }

    var seen: [BulkProgressEvent] {
        lock.lock()
        defer { lock.unlock() }
        return events
    }
}
