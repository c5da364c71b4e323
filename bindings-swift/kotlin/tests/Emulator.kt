// The emulator binary as a subprocess, driven through its `/__emulator/` control API.
package authing.resign.tests

import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.security.cert.X509Certificate
import java.util.concurrent.TimeUnit
import javax.net.ssl.SSLContext
import javax.net.ssl.X509TrustManager

class Emulator private constructor(private val process: Process, val url: String, private val tls: Boolean) {
    private val http = httpClient()

    /** Plain HTTP, or (for an emulator serving a self-signed certificate) HTTPS with no
     * certificate check: test set-up only, never the SDK's traffic. */
    private fun httpClient(): HttpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).apply {
        if (tls) sslContext(SSLContext.getInstance("TLS").apply { init(null, arrayOf(TrustAll), null) })
    }.build()

    companion object {
        const val KEY_ID = "emulator-access-key-id"
        const val KEY_SECRET = "emulator-access-key-secret"

        fun start(binary: String, logFile: File, vararg extra: String): Emulator {
            val process = ProcessBuilder(binary, "--port", "0", *extra)
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
            val url = first.removePrefix(prefix).trim()
            return Emulator(process, url, url.startsWith("https:"))
        }
    }

    fun stop() {
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
    }

    /** Control calls on a fresh connection each (the TLS rows count connections). */
    fun freshConnection(): Emulator = Emulator(process, url, tls)

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

    /** Adds a fault given as the control API's JSON object. */
    fun fault(spec: Map<String, Any?>) { call("POST", "faults", spec) }

    fun clearFaults() { call("DELETE", "faults") }

    fun journal(): List<Map<String, Any?>> = call("GET", "journal").arr().map { it.obj() }

    fun patchSettings(settings: Map<String, Any?>) { call("PATCH", "settings", settings) }

    fun stats(): Map<String, Any?> = call("GET", "stats").obj()
}

private object TrustAll : X509TrustManager {
    override fun checkClientTrusted(chain: Array<out X509Certificate>?, authType: String?) {}
    override fun checkServerTrusted(chain: Array<out X509Certificate>?, authType: String?) {}
    override fun getAcceptedIssuers(): Array<X509Certificate> = arrayOf()
}
