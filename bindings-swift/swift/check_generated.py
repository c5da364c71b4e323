#!/usr/bin/env python3
"""Checks the generated Swift bindings for the public API the README promises.

A fast check of `make swift` before the Swift suite compiles and runs it
(run-tests.sh): every declaration below must appear in
Sources/AuthingResign/AuthingResign.swift (comments stripped, whitespace collapsed), the
module map must work off Apple platforms, and the C header must parse with `cc`.
"""
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SWIFT = HERE / "Sources" / "AuthingResign" / "AuthingResign.swift"
HEADER = HERE / "Sources" / "AuthingResignFFI" / "AuthingResignFFI.h"
MODULEMAP = HERE / "Sources" / "AuthingResignFFI" / "module.modulemap"

EXPECTED = {
    "client constructor throws on bad options":
        r"open class ManagementClient: ManagementClientProtocol.*?public convenience init\(options: ClientOptions\) ?throws",
    "startResignUsers returns a job at once":
        r"open func startResignUsers\(userIds: UserIds, userIdType: UserIdType, options: BulkOptions, "
        r"progress: BulkProgress\?\) ?throws -> BulkJob",
    "a job can be cancelled, aborted and awaited":
        r"public protocol BulkJobProtocol: AnyObject, Sendable \{ func abort\(\) func cancel\(\) "
        r"func isFinished\(\) -> Bool func report\(\) async throws -> BulkReport \}",
    "user ids are plain Swift strings": r"public typealias UserIds = \[String\]",
    "a user id is a plain Swift string": r"public typealias UserId = String",
    "resignUserBatch is async throws":
        r"open func resignUserBatch\(userIds: UserIds, userIdType: UserIdType\?\) ?async throws -> ResignUserResponse",
    "resignUser is async throws":
        r"open func resignUser\(userId: UserId, userIdType: UserIdType\?\) ?async throws -> ResignUserResponse",
    "resignUsers takes options and a progress callback":
        r"open func resignUsers\(userIds: UserIds, userIdType: UserIdType, options: BulkOptions, "
        r"progress: BulkProgress\?\) ?async throws -> BulkReport",
    "BulkProgress is a protocol implemented in Swift":
        r"public protocol BulkProgress: AnyObject, Sendable \{ func onProgress\(progress: BulkProgressEvent\) throws \}",
    "ClientOptions defaults everything but the keys":
        r"public struct ClientOptions \{.*?public init\( accessKeyId: String, accessKeySecret: AccessKeySecret, "
        r"host: String\? = nil, auth: AuthScheme\? = nil,",
    "ClientOptions ends with the response cap":
        r"allowHttp: Bool = false, maxResponseBytes: UInt64\? = nil\)",
    "AccessKeySecret wraps the secret":
        r"public convenience init\(secret: String\)",
    "BulkOptions defaults":
        r"public init\( chunkSize: UInt32 = UInt32\(50\), concurrency: UInt32 = UInt32\(4\), dryRun: Bool = false, "
        r"deadline: Interval\? = nil, cancel: CancellationToken\? = nil, verify: Bool = false, "
        r"verifyOnly: Bool = false, journal: String\? = nil, resumeFrom: String\? = nil, "
        r"resumeForce: Bool = false\)",
    # Durations cross the FFI as seconds checked in Rust: Swift's built-in Duration
    # converter would call fatalError on a negative value.
    "durations are TimeInterval checked in Rust":
        r"public typealias Interval = TimeInterval",
    "ClientOptions durations use Interval":
        r"connectTimeout: Interval\? = nil, timeout: Interval\? = nil, maxRetries: UInt32\? = nil, "
        r"retryBaseDelay: Interval\? = nil, retryMaxDelay: Interval\? = nil, totalDeadline: Interval\? = nil,",
    "cancellation token":
        r"public protocol CancellationTokenProtocol: AnyObject, Sendable \{ func cancel\(\) func isCancelled\(\) -> Bool \}",
    "UserIdType enum": r"public enum UserIdType: Equatable, Hashable \{ case userId case externalId case phone case email "
                       r"case username case identity case syncRelation case customField",
    "records": r"public struct ResignUserResponse: Equatable, Hashable \{ public let statusCode: UInt16 "
               r"public let message: String public let apiCode: UInt32\? public let requestId: String\? public let data: ResignUserData",
    "bulk report": r"public struct BulkReport: Equatable, Hashable \{ public let userIdType: UserIdType public let dryRun: Bool "
                   r"public let users: \[UserOutcome\] public let totals: BulkTotals",
    "user outcome": r"public struct UserOutcome: Equatable, Hashable \{ public let userId: String public let outcome: Outcome "
                    r"public let error: OutcomeError\? public let requestId: String\?",
    "AuthingError is a Swift error": r"public enum AuthingError: Swift\.Error, Equatable, Hashable, Foundation\.LocalizedError",
    "InvalidArgument fields": r"case InvalidArgument\( field: String, index: UInt64\?, reason: String \)",
    "Config fields": r"case Config\( option: String, reason: String \)",
    "Api fields": r"case Api\( statusCode: UInt16, apiCode: UInt32\?, message: String, requestId: String\?, httpStatus: UInt16 \)",
    "Timeout fields": r"case Timeout\( phase: TimeoutPhase \)",
    "Transport fields": r"case Transport\( reason: String \)",
    "Decode fields": r"case Decode\( httpStatus: UInt16, reason: String, snippet: String \)",
    "Cancelled": r"case Cancelled ",
    "error helpers": r"public func code\(\) -> String .*?public func isAuth\(\) -> Bool .*?public func isRetryable\(\) -> Bool",
    "version()": r"public func version\(\) -> String",
}

# Generated code that must not appear: uniffi's Duration converter traps on negative,
# NaN or huge values (fatalError, UInt64(nan)) before Rust could return an error.
FORBIDDEN = {
    "uniffi's trapping Duration converter": r"FfiConverterDuration",
}

def normalized(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    # Declarations such as `public \n enum` come out of the templates split over lines.
    return re.sub(r"\s+", " ", text)


def main() -> int:
    for f in (SWIFT, HEADER, MODULEMAP):
        if not f.is_file():
            print(f"missing {f}: run `make swift` first")
            return 1
    swift = normalized(SWIFT.read_text())
    failures = 0
    for what, pattern in EXPECTED.items():
        ok = re.search(pattern, swift, flags=re.S) is not None
        failures += not ok
        print(f"{'ok  ' if ok else 'MISSING'} {what}")
        if not ok:
            print(f"        pattern: {pattern}")
    for what, pattern in FORBIDDEN.items():
        bad = re.search(pattern, swift) is not None
        failures += bad
        print(f"{'FOUND' if bad else 'ok  '} no {what}")
    if 'module AuthingResignFFI {' not in MODULEMAP.read_text() or 'header "AuthingResignFFI.h"' not in MODULEMAP.read_text():
        print("MISSING modulemap for module AuthingResignFFI")
        failures += 1
    darwin = 'use "Darwin"' in MODULEMAP.read_text()
    failures += darwin
    print(f"{'FOUND' if darwin else 'ok  '} no `use \"Darwin\"` in the module map (breaks Linux builds)")
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc:
        # gcc lacks clang's nullability qualifiers; everything else must be plain C.
        r = subprocess.run(
            [cc, "-fsyntax-only", "-Wall", "-Werror", "-D_Nullable=", "-D_Nonnull=", "-I", str(HEADER.parent), "-x", "c", "-"],
            input='#include "AuthingResignFFI.h"\n', capture_output=True, text=True,
        )
        print(f"{'ok  ' if r.returncode == 0 else 'FAILED'} C header parses with {cc}")
        if r.returncode != 0:
            print(r.stderr)
            failures += 1
    print(f"{len(EXPECTED) + len(FORBIDDEN) + 3 - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
