// Shared helpers: the emulator the suite talks to and clients pointed at it.
import AuthingResign
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
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

/// Sends `method` `/__emulator/<path>` (the emulator's control API) with `body` as JSON
/// and waits for the answer; fails the test unless it is a 2xx.
func emulatorControl(_ method: String, _ path: String, _ body: [String: Any]? = nil,
                     file: StaticString = #filePath, line: UInt = #line) throws {
    var request = URLRequest(url: URL(string: "\(Emulator.url)/__emulator/\(path)")!)
    request.httpMethod = method
    if let body {
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    final class Answer: @unchecked Sendable {
        var status = 0
        let done = DispatchSemaphore(value: 0)
    }
    let answer = Answer()
    URLSession.shared.dataTask(with: request) { _, response, _ in
        answer.status = (response as? HTTPURLResponse)?.statusCode ?? 0
        answer.done.signal()
    }.resume()
    answer.done.wait()
    XCTAssertTrue((200..<300).contains(answer.status), "\(method) \(path): status \(answer.status)",
                  file: file, line: line)
}

/// Delays every batch call by `ms` until `clearFaults()`: calls slower than a journal
/// sync, so that a progress event (sent once a result is on disk) comes while the next
/// call is still in flight, whatever the disk.
func slowBatches(_ ms: Int) throws {
    try emulatorControl("POST", "faults",
                        ["route": "/api/v3/resign-user-batch", "kind": "delay", "times": 0, "delayMs": ms])
}

func clearFaults() throws { try emulatorControl("DELETE", "faults") }

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
