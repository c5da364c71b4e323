// The emulator binary as a subprocess, driven through its `/__emulator/` control API.
package authing.resign.tests

import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.util.concurrent.TimeUnit

class Emulator private constructor(private val process: Process, val url: String) {
    private val http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()

    companion object {
        const val KEY_ID = "emulator-access-key-id"
        const val KEY_SECRET = "emulator-access-key-secret"

        fun start(binary: String, logFile: File): Emulator {
            val process = ProcessBuilder(binary, "--port", "0")
                .redirectError(ProcessBuilder.Redirect.to(logFile))
                .start()
            val stdout = process.inputStream.bufferedReader()
            val first = stdout.readLine() ?: run {
                process.destroyForcibly()
                error("emulator exited before printing its address (see $logFile)")
            }
            val prefix = "authing-emulator listening on "
            require(first.startsWith(prefix)) { "unexpected first line from the emulator: $first" }
            // Keep draining stdout so the emulator never blocks on a full pipe.
            Thread { stdout.useLines { it.forEach { _ -> } } }.apply { isDaemon = true }.start()
            return Emulator(process, first.removePrefix(prefix).trim())
        }
    }

    fun stop() {
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
    }

    private fun call(method: String, path: String, body: Any? = null): Any? {
        val pub = if (body == null) HttpRequest.BodyPublishers.noBody()
        else HttpRequest.BodyPublishers.ofString(MiniJson.write(body))
        val req = HttpRequest.newBuilder(URI.create("$url/__emulator/$path"))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .method(method, pub)
            .build()
        val resp = http.send(req, HttpResponse.BodyHandlers.ofString())
        check(resp.statusCode() in 200..299) { "$method $path: HTTP ${resp.statusCode()} ${resp.body()}" }
        return if (resp.body().isBlank()) null else MiniJson.parse(resp.body())
    }

    fun reset() { call("POST", "reset") }

    /** Seeds users (UserDto-shaped maps) and returns them as stored, userId included. */
    fun seedUsers(users: List<Map<String, Any?>>): List<Map<String, Any?>> =
        call("POST", "users", users).obj()["users"].arr().map { it.obj() }

    fun users(): List<Map<String, Any?>> = call("GET", "users").arr().map { it.obj() }

    fun user(email: String): Map<String, Any?> = users().first { it["email"] == email }

    /** Adds a fault; `times` 0 means until cleared. */
    fun fault(kind: String, times: Int = 1, status: Int? = null, delayMs: Long? = null, retryAfter: String? = null,
              route: String = "/api/v3/resign-user-batch") {
        val f = mutableMapOf<String, Any?>("route" to route, "kind" to kind, "times" to times)
        status?.let { f["status"] = it }
        delayMs?.let { f["delayMs"] = it }
        retryAfter?.let { f["retryAfter"] = it }
        call("POST", "faults", f)
    }

    fun clearFaults() { call("DELETE", "faults") }

    fun journal(): List<Map<String, Any?>> = call("GET", "journal").arr().map { it.obj() }

    fun patchSettings(settings: Map<String, Any?>) { call("PATCH", "settings", settings) }

    fun stats(): Map<String, Any?> = call("GET", "stats").obj()
}
