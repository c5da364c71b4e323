// Shared helpers: building a client against the emulator and reading its journal.
package authing.resign.tests

import authing.resign.*
import java.time.Duration

fun Emulator.client(
    auth: AuthScheme? = null,
    secret: String = Emulator.KEY_SECRET,
    host: String = url,
    maxRetries: UInt? = null,
    timeout: Duration? = null,
): ManagementClient = ManagementClient(
    ClientOptions(
        accessKeyId = Emulator.KEY_ID,
        accessKeySecret = AccessKeySecret(secret),
        host = host,
        auth = auth,
        maxRetries = maxRetries,
        timeout = timeout,
        // Keep retried tests fast; the backoff itself is the core's and tested there.
        retryBaseDelay = Duration.ofMillis(10),
    )
)

fun Emulator.seedEmails(vararg emails: String): List<Map<String, Any?>> =
    seedUsers(emails.map { mapOf("email" to it, "username" to it.substringBefore('@')) })

/** Journal entries of the batch route (control calls are never journaled). */
fun Emulator.batchCalls(): List<Map<String, Any?>> = journal().filter { it["path"] == "/api/v3/resign-user-batch" }
