// `make bench-kotlin`: throughput and latency of the Kotlin bindings against the emulator
// binary on this machine. Prints numbers; asserts nothing about speed.
package authing.resign.bench

import authing.resign.*
import authing.resign.tests.Emulator
import authing.resign.tests.client
import authing.resign.tests.seedEmails
import java.io.File
import kotlin.system.exitProcess
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.runBlocking

private fun ms(nanos: Long) = nanos / 1_000_000.0

private fun percentile(sorted: List<Long>, p: Double) = ms(sorted[((sorted.size - 1) * p).toInt()])

private suspend fun sequential(emu: Emulator, auth: AuthScheme, n: Int) {
    emu.reset()
    val emails = (0 until n).map { "seq$it@example.com" }
    emu.seedEmails(*emails.toTypedArray())
    val client = emu.client(auth = auth)
    client.resignUserBatch(listOf(emails[0]), UserIdType.EMAIL) // warm-up: connection, token
    val lat = mutableListOf<Long>()
    val started = System.nanoTime()
    for (e in emails.drop(1)) {
        val t = System.nanoTime()
        client.resignUserBatch(listOf(e), UserIdType.EMAIL)
        lat.add(System.nanoTime() - t)
    }
    val total = System.nanoTime() - started
    lat.sort()
    println("sequential resignUserBatch, 1 id, $auth: ${lat.size} calls, %.0f calls/s, p50 %.2f ms, p99 %.2f ms"
        .format(lat.size / (total / 1e9), percentile(lat, 0.5), percentile(lat, 0.99)))
}

private suspend fun concurrent(emu: Emulator, n: Int, width: Int) {
    emu.reset()
    val emails = (0 until n).map { "con$it@example.com" }
    emu.seedEmails(*emails.toTypedArray())
    val client = emu.client()
    val started = System.nanoTime()
    coroutineScope {
        emails.chunked(n / width).map { part ->
            async(Dispatchers.Default) { for (e in part) client.resignUserBatch(listOf(e), UserIdType.EMAIL) }
        }.awaitAll()
    }
    val total = System.nanoTime() - started
    println("concurrent resignUserBatch, 1 id, $width coroutines: $n calls in %.0f ms, %.0f calls/s, %s TCP connections"
        .format(ms(total), n / (total / 1e9), emu.stats()["connections"]))
}

private suspend fun bulk(emu: Emulator, n: Int) {
    emu.reset()
    val emails = (0 until n).map { "bulk$it@example.com" }
    emu.seedEmails(*emails.toTypedArray())
    val started = System.nanoTime()
    val report = emu.client().resignUsers(emails, UserIdType.EMAIL, BulkOptions(), null)
    val total = System.nanoTime() - started
    println("resignUsers, $n ids, chunks of 50, concurrency 4: %.0f ms, %.0f ids/s, %d HTTP calls, %d resigned"
        .format(ms(total), n / (total / 1e9), report.httpCalls.toLong(), report.totals.resigned.toLong()))
}

private suspend fun ffiOverhead(emu: Emulator, n: Int) {
    val client = emu.client()
    repeat(1_000) { runCatching { client.resignUserBatch(emptyList(), null) } }
    val started = System.nanoTime()
    repeat(n) { runCatching { client.resignUserBatch(emptyList(), null) } }
    val total = System.nanoTime() - started
    println("async FFI round trip + local validation error (no network): %.1f µs/call over %d calls"
        .format(total / 1e3 / n, n))
}

/** Lowering 50 ids into a RustBuffer and lifting them back, no call: thread CPU time, so
 *  other processes' load barely moves it (kotlin/fast_utf8.py was measured with it). */
private fun lowering(n: Int) {
    val ids = (0 until 50).map { "62a1b2c3d4e5f6071820%04d".format(it) }
    val cpu = java.lang.management.ManagementFactory.getThreadMXBean()
    repeat(n / 10) { FfiConverterTypeUserIds.lift(FfiConverterTypeUserIds.lower(ids)) } // JIT
    val started = cpu.currentThreadCpuTime
    repeat(n) { FfiConverterTypeUserIds.lift(FfiConverterTypeUserIds.lower(ids)) }
    println("lower + lift of 50 ids (no call): %.1f µs CPU each over %d".format((cpu.currentThreadCpuTime - started) / 1e3 / n, n))
}

fun main(args: Array<String>) {
    val emu = Emulator.start(args[0], File.createTempFile("authing-emulator", ".log"))
    try {
        lowering(200_000)
        runBlocking {
            ffiOverhead(emu, 20_000)
            sequential(emu, AuthScheme.SIGNATURE, 500)
            sequential(emu, AuthScheme.MANAGEMENT_TOKEN, 500)
            concurrent(emu, 2_000, 100)
            bulk(emu, 5_000)
        }
    } finally {
        emu.stop()
    }
    exitProcess(0)
}
