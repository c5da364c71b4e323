// The Kotlin client of `make bench-wire`: the same token-authenticated 50-id
// resignUserBatch call as wrk, from CONCURRENCY coroutines for SECONDS after a warm-up.
// Prints one JSON line: calls, seconds, the JVM process's CPU time (user + sys,
// OperatingSystemMXBean.processCpuTime) and its context switches (voluntary + involuntary,
// summed over /proc/self/task, i.e. every live thread: JVM, JNA-attached tokio workers)
// over the measured window. Failures throw.
// The warm-up lasts until the JIT is done (JMH's rule: measure the steady state): one
// second at a time until a second adds under 20 ms of compilation, at most 30 seconds.
// With one second only, C1/C2 compiler threads took ~40 % of the measured CPU.
//
//   AUTHING_ACCESS_KEY_ID=... AUTHING_ACCESS_KEY_SECRET=... \
//     java ... authing.resign.bench.WireKt URL CONCURRENCY SECONDS ID1,ID2,...
package authing.resign.bench

import authing.resign.*
import java.lang.management.ManagementFactory
import java.util.concurrent.atomic.AtomicLong
import kotlin.system.exitProcess
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.runBlocking

private fun cpuNanos(): Long =
    (ManagementFactory.getOperatingSystemMXBean() as com.sun.management.OperatingSystemMXBean).processCpuTime

/** Context switches so far of every live thread of this process (Linux /proc). */
private fun switches(): Long =
    java.io.File("/proc/self/task").listFiles().orEmpty().sumOf { task ->
        runCatching {
            java.io.File(task, "status").readLines()
                .filter { it.startsWith("voluntary_ctxt_switches") || it.startsWith("nonvoluntary_ctxt_switches") }
                .sumOf { it.substringAfter(':').trim().toLong() }
        }.getOrDefault(0L) // a thread that exited meanwhile
    }

private suspend fun run(client: ManagementClient, ids: List<String>, width: Int, millis: Long): Long {
    val deadline = System.nanoTime() + millis * 1_000_000
    val calls = AtomicLong()
    coroutineScope {
        repeat(width) {
            launch(Dispatchers.Default) {
                while (System.nanoTime() < deadline) {
                    client.resignUserBatch(ids, null)
                    calls.incrementAndGet()
                }
            }
        }
    }
    return calls.get()
}

/** Runs one-second rounds until the JIT compiles less than 20 ms in one (at most 30). */
private suspend fun warmUp(client: ManagementClient, ids: List<String>, width: Int) {
    val jit = ManagementFactory.getCompilationMXBean()
    for (round in 1..30) {
        val before = jit.totalCompilationTime
        run(client, ids, width, 1_000)
        if (round >= 3 && jit.totalCompilationTime - before < 20) return
    }
}

fun main(args: Array<String>) {
    val (url, width, secs, idList) = args
    val client = ManagementClient(
        ClientOptions(
            accessKeyId = System.getenv("AUTHING_ACCESS_KEY_ID"),
            accessKeySecret = AccessKeySecret(System.getenv("AUTHING_ACCESS_KEY_SECRET")),
            host = url,
            auth = AuthScheme.MANAGEMENT_TOKEN,
        )
    )
    val ids = idList.split(",")
    runBlocking {
        warmUp(client, ids, width.toInt())
        val cpu0 = cpuNanos()
        val ctx0 = switches()
        val t0 = System.nanoTime()
        val calls = run(client, ids, width.toInt(), (secs.toDouble() * 1000).toLong())
        val elapsed = (System.nanoTime() - t0) / 1e9
        val cpu = (cpuNanos() - cpu0) / 1e9
        val ctx = switches() - ctx0
        println("{\"calls\":$calls,\"secs\":$elapsed,\"cpu_secs\":$cpu,\"ctx\":$ctx}")
    }
    exitProcess(0)
}
