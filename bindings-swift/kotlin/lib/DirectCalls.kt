// Hand-written Kotlin shipped with the generated bindings: the direct path of the single
// calls (`resignUserBatch`, `resignUser`), Rust side in src/direct.rs, wired into the
// generated methods by kotlin/direct_calls.py. One JNA downcall starts a call and one
// upcall brings its outcome, with only integers, pointers and a byte array crossing:
// uniffi's async protocol made nine downcalls and two upcalls, passing JNA `Structure`s
// by value that JNA converts by reflection. Arguments and outcomes are written and read
// with uniffi's generated converters, so the wire format stays uniffi's.
package authing.resign

import com.sun.jna.Callback
import com.sun.jna.CallbackReference
import com.sun.jna.CallbackThreadInitializer
import com.sun.jna.Native
import com.sun.jna.Pointer
import java.nio.ByteBuffer
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong
import kotlin.coroutines.resume
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.suspendCancellableCoroutine

/** The C callback a direct call ends with (`DirectDone` in src/direct.rs). */
internal interface UniffiDirectDone : Callback {
    fun callback(token: Long, code: Byte, data: Pointer?, len: Long)
}

/** A call's outcome as Rust wrote it: [code] 0 a `ResignUserResponse`, 1 an `AuthingError`. */
internal class UniffiDirectOutcome(val code: Byte, val bytes: ByteArray)

/** The calls waiting for their outcome, by token, and the callback that resumes them. */
internal object UniffiDirectCalls : UniffiDirectDone {
    private val waiting = ConcurrentHashMap<Long, CancellableContinuation<UniffiDirectOutcome>>()
    private val tokens = AtomicLong(1)

    init {
        // As kotlin/keep_callback_threads.py does for uniffi's callback: the runtime's
        // thread is attached to the JVM once (a daemon), not once per call.
        Native.setCallbackThreadInitializer(this, CallbackThreadInitializer(true, false, "authing-resign"))
    }

    /** This callback's C function pointer, looked up once (JNA would look it up per call). */
    val done: Pointer = CallbackReference.getFunctionPointer(this)

    /** Runs on the runtime's thread: copies the borrowed bytes, resumes the caller. */
    override fun callback(token: Long, code: Byte, data: Pointer?, len: Long) {
        val bytes = if (data == null || len == 0L) ByteArray(0) else data.getByteArray(0, len.toInt())
        // Absent when the caller gave up (cancelled) first.
        waiting.remove(token)?.resume(UniffiDirectOutcome(code, bytes))
    }

    /**
     * Starts a call with [start] (given the token its outcome will carry; it returns the
     * call handle), suspends until the outcome arrives, and ends the call either way:
     * a cancelled coroutine ends it at once, which aborts the Rust task and any request
     * in flight. A response is lifted with [lift]; an error is thrown as the
     * [AuthingException] uniffi's converter reads.
     */
    suspend fun <T> call(start: (token: Long) -> Long, lift: (ByteBuffer) -> T): T {
        val token = tokens.getAndIncrement()
        var handle = 0L
        try {
            val outcome = suspendCancellableCoroutine<UniffiDirectOutcome> { cont ->
                waiting[token] = cont
                handle = start(token)
            }
            val buf = ByteBuffer.wrap(outcome.bytes)
            if (outcome.code != 0.toByte()) throw allRead(buf, FfiConverterTypeAuthingError.read(buf))
            return allRead(buf, lift(buf))
        } finally {
            waiting.remove(token)
            UniffiLib.authing_resign_direct_call_end(handle)
        }
    }
}

/** [value], once [buf] is used up (as uniffi's own lifting requires). */
private fun <T> allRead(buf: ByteBuffer, value: T): T {
    if (buf.hasRemaining()) throw InternalException("junk remaining in buffer after lifting, something is very wrong!!")
    return value
}

/**
 * The arguments of a direct call, written by uniffi's converters: the ids ([ids] with
 * [converter], which checks them for lone surrogates) then the optional id type.
 * Returns the buffer; its position is the length written.
 */
internal fun <A> uniffiDirectArgs(converter: FfiConverter<A, *>, ids: A, idType: UserIdType?): ByteBuffer {
    val size = converter.allocationSize(ids) + FfiConverterOptionalTypeUserIdType.allocationSize(idType)
    val buf = ByteBuffer.allocate(size.toInt())
    converter.write(ids, buf)
    FfiConverterOptionalTypeUserIdType.write(idType, buf)
    return buf
}
