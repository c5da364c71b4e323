// The Kotlin suite's entry point: a tiny test runner (no Gradle or JUnit here). Runs every
// test against one emulator subprocess, prints `N passed, M failed`, exits non-zero on
// any failure, and always stops the emulator.
package authing.resign.tests

import java.io.File
import kotlin.system.exitProcess
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout

/** A test: a name and a suspend body that gets the running emulator. */
class TestCase(val name: String, val body: suspend (Emulator) -> Unit)

fun test(name: String, body: suspend (Emulator) -> Unit) = TestCase(name, body)

class AssertionFailed(message: String) : Exception(message)

fun ensure(cond: Boolean, what: () -> String) { if (!cond) throw AssertionFailed(what()) }

fun <T> assertEq(expected: T, actual: T, what: String = "value") =
    ensure(expected == actual) { "$what: expected <$expected>, got <$actual>" }

/** Runs [block], requires it to throw a [T], and returns that exception. */
suspend inline fun <reified T : Throwable> assertThrows(crossinline block: suspend () -> Unit): T {
    try {
        block()
    } catch (e: Throwable) {
        if (e is T) return e
        throw AssertionFailed("expected ${T::class.simpleName}, got $e")
    }
    throw AssertionFailed("expected ${T::class.simpleName}, nothing was thrown")
}

fun main(args: Array<String>) {
    require(args.size >= 2) { "usage: Runner <emulator binary> <tests/data dir> [name filter]" }
    val dataDir = File(args[1])
    val filter = args.getOrNull(2)
    val suites = batchTests() + errorTests() + bulkTests(dataDir) + jobTests() + concurrencyTests() +
        hostileIdTests(dataDir) + faultMatrixTests(dataDir, args[0])
    var passed = 0
    var failed = 0
    val log = File.createTempFile("authing-emulator", ".log")
    val emulator = Emulator.start(args[0], log)
    try {
        for (t in suites) {
            if (filter != null && !t.name.contains(filter)) continue
            val started = System.nanoTime()
            try {
                emulator.reset()
                runBlocking { withTimeout(60_000) { t.body(emulator) } }
                passed++
                println("PASS ${t.name} (${(System.nanoTime() - started) / 1_000_000} ms)")
            } catch (e: Throwable) {
                failed++
                println("FAIL ${t.name}: $e")
                e.printStackTrace(System.out)
            }
        }
    } finally {
        emulator.stop()
    }
    println("$passed passed, $failed failed")
    exitProcess(if (failed == 0 && passed > 0) 0 else 1)
}
