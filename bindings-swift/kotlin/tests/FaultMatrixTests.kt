// The fault matrix (tests/data/fault-matrix.json) through the Kotlin binding: the same
// rows, set-ups and expected results as the Rust, Python and Node runners. A row marked
// `notExpressible.kotlin` in the file is skipped (with the reason printed).
package authing.resign.tests

import authing.resign.*
import java.io.File
import java.nio.file.Files
import java.time.Duration
import java.time.ZoneOffset
import java.time.ZonedDateTime
import java.time.format.DateTimeFormatter
import java.util.Locale
import java.util.concurrent.atomic.AtomicBoolean

private const val BATCH = "/api/v3/resign-user-batch"
private const val TOKEN = "/api/v3/get-management-token"
private val IMF_FIXDATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)

/** A second emulator serving HTTPS with a self-signed certificate nobody trusts. */
private class UntrustedEmulator(binary: String) : AutoCloseable {
    private val dir = Files.createTempDirectory("authing-tls-").toFile()
    val emulator: Emulator

    init {
        val (cert, key) = File(dir, "cert.pem") to File(dir, "key.pem")
        val openssl = ProcessBuilder(
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", key.path, "-out", cert.path,
        ).redirectErrorStream(true).redirectOutput(File(dir, "openssl.log")).start()
        check(openssl.waitFor() == 0) { "openssl failed: ${File(dir, "openssl.log").readText()}" }
        emulator = Emulator.start(binary, File(dir, "emulator.log"), "--tls-cert", cert.path, "--tls-key", key.path)
    }

    override fun close() {
        emulator.stop()
        dir.deleteRecursively()
    }
}

private fun faultSpec(fault: Map<String, Any?>): Map<String, Any?> {
    val spec = LinkedHashMap(fault)
    val secs = spec.remove("retryAfterInSecsAsDate") as Long? ?: return spec
    // IMF-fixdate (RFC 9110): a two-digit day, unlike Java's RFC_1123_DATE_TIME.
    spec["retryAfter"] = IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(secs))
    return spec
}

private fun within(expect: Map<String, Any?>, key: String, actual: Long, row: String) {
    val range = expect[key]?.arr() ?: return
    val (lo, hi) = range[0] as Long to range[1] as Long
    ensure(actual in lo..hi) { "$row: $key = $actual, expected $lo..$hi" }
}

/** The report's totals under the file's (the core's) outcome names. */
fun totalsByName(t: BulkTotals): Map<String, Long> = mapOf(
    "resigned" to t.resigned.toLong(), "failed" to t.failed.toLong(), "unknown" to t.unknown.toLong(),
    "invalid" to t.invalid.toLong(), "duplicate" to t.duplicate.toLong(), "not_attempted" to t.notAttempted.toLong(),
)

/** The status an error carries: the envelope's statusCode, else the HTTP status. */
private fun statusOf(e: AuthingException): Long? = when (e) {
    is AuthingException.Api -> e.statusCode.toLong()
    is AuthingException.Decode -> e.httpStatus.toLong()
    else -> null
}

private suspend fun runRow(emu: Emulator, https: UntrustedEmulator, row: Map<String, Any?>) {
    val name = row["name"] as String
    val call = row["call"].obj()
    val expect = row["expect"].obj()
    val tls = call["tls"] == "untrusted"
    val target = if (tls) https.emulator else emu
    emu.reset()
    row["settings"]?.let { emu.patchSettings(it.obj()) }
    val started = System.nanoTime()
    for (fault in row["faults"]?.arr().orEmpty()) emu.fault(faultSpec(fault.obj()))
    val ids = (0 until (call["users"] as Long).toInt()).map { "m$it@example.com" }.toMutableList()
    if (ids.isNotEmpty() && !tls) emu.seedEmails(*ids.toTypedArray())
    repeat((call["unknown"] as Long).toInt()) { ids.add("ghost$it@example.com") }
    val connectionsBefore = if (tls) target.freshConnection().stats()["connections"] as Long else 0L
    val client = ManagementClient(
        ClientOptions(
            accessKeyId = Emulator.KEY_ID, accessKeySecret = AccessKeySecret(Emulator.KEY_SECRET), host = target.url,
            auth = if (call["auth"] == "token") AuthScheme.MANAGEMENT_TOKEN else AuthScheme.SIGNATURE,
            timeout = Duration.ofMillis(call["timeoutMs"] as Long), maxRetries = (call["maxRetries"] as Long).toUInt(),
            retryBaseDelay = Duration.ofMillis(10), retryMaxDelay = Duration.ofSeconds(5),
        )
    )
    var error: AuthingException? = null
    var report: BulkReport? = null
    if (call["kind"] == "batch") {
        try {
            client.resignUserBatch(ids, UserIdType.EMAIL)
        } catch (e: AuthingException) {
            error = e
        }
    } else {
        val patch = row["afterFirstChunk"]?.obj()
        val fired = AtomicBoolean(false)
        // Called on an SDK thread before the next chunk starts: the settings change
        // is in place for every later call.
        val progress = patch?.let {
            object : BulkProgress {
                override fun onProgress(progress: BulkProgressEvent) {
                    if (!fired.getAndSet(true)) emu.patchSettings(it)
                }
            }
        }
        report = client.resignUsers(
            ids, UserIdType.EMAIL,
            BulkOptions(chunkSize = (call["chunkSize"] as Long).toUInt(), concurrency = (call["concurrency"] as Long).toUInt()),
            progress,
        )
    }
    val elapsedMs = (System.nanoTime() - started) / 1_000_000
    if (tls) {
        // Each control call opens its own connection: the second one counts itself.
        val connections = target.freshConnection().stats()["connections"] as Long - connectionsBefore - 1
        within(expect, "connections", connections, name)
    }
    val journal = target.freshConnection().journal()
    within(expect, "httpCalls", journal.count { it["path"] == BATCH }.toLong(), name)
    within(expect, "tokenCalls", journal.count { it["path"] == TOKEN }.toLong(), name)
    (expect["minElapsedMs"] as Long?)?.let { ensure(elapsedMs >= it) { "$name: $elapsedMs ms < $it ms" } }
    (expect["maxElapsedMs"] as Long?)?.let { ensure(elapsedMs <= it) { "$name: $elapsedMs ms > $it ms" } }
    if (report != null) {
        val totals = totalsByName(report.totals)
        for ((outcome, count) in expect["totals"]?.obj().orEmpty()) {
            assertEq(count, totals.getValue(outcome), "$name: $outcome of ${report.totals}")
        }
        if ("stoppedEarly" in expect) assertEq(expect["stoppedEarly"], report.stoppedEarly?.code, "$name: stoppedEarly")
        return
    }
    assertEq(expect["error"], error?.code(), "$name: error ($error)")
    if ("statusCode" in expect) assertEq(expect["statusCode"], error?.let(::statusOf), "$name: statusCode")
    if ("apiCode" in expect) {
        assertEq(expect["apiCode"], (error as? AuthingException.Api)?.apiCode?.toLong(), "$name: apiCode")
    }
}

fun faultMatrixTests(dataDir: File, emulatorBinary: String): List<TestCase> {
    val matrix = MiniJson.parse(File(dataDir, "fault-matrix.json").readText()).obj()
    val rows = matrix["rows"].arr().map { it.obj() }
    val https = lazy { UntrustedEmulator(emulatorBinary) }
    Runtime.getRuntime().addShutdownHook(Thread { if (https.isInitialized()) https.value.close() })
    val cases = rows.map { row ->
        val why = row["notExpressible"]?.obj()?.get("kotlin") as String?
        test("fault matrix: ${row["name"]}") { emu ->
            if (why != null) println("SKIP (not expressible in Kotlin: $why)") else runRow(emu, https.value, row)
        }
    }
    return cases + test("fault matrix: the file has the rows the issue asks for") {
        ensure(rows.size >= 20) { "${rows.size} rows" }
    }
}
