//! Kotlin's direct path for the single calls (`resignUserBatch`, `resignUser`): one
//! downcall starts the call, one upcall delivers its outcome.
//!
//! uniffi's async protocol costs the JVM nine JNA downcalls and two upcalls a call (buffer
//! allocations, the method, two polls, complete, two frees), most passing or returning
//! JNA `Structure`s by value, which JNA converts by reflection. Here the Kotlin side
//! (`kotlin/lib/DirectCalls.kt`, wired in by `kotlin/direct_calls.py`) writes the
//! arguments with uniffi's own converters into one byte array, which these functions
//! read with uniffi's own `Lift` before returning; the call runs as one task on the
//! binding's runtime, and its outcome is written with uniffi's own `Lower` and handed to
//! a C callback (a JNA callback) with the bytes borrowed for its duration. Only plain
//! integers and pointers cross, in both directions. Swift keeps uniffi's path; these
//! symbols are simply unused there.
//!
//! The contract with `DirectCalls.kt`: a start function returns a call handle that the
//! caller passes to [`authing_resign_direct_call_end`] exactly once, after the outcome
//! arrived or when it gives up (coroutine cancelled); ending aborts the task if it is
//! still running, which drops any request in flight, as dropping uniffi's future did.
//! The callback runs once per call at most: on the runtime's thread, or at once on the
//! caller's when the call cannot start (unreadable arguments, no runtime; the handle is
//! then 0); not once an abort has taken effect (one that comes while the callback runs
//! lets it finish: the Kotlin side ignores the outcome of a call it gave up).

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use authing_resign::{ResignUserResponse, UserIdType};
use tokio::task::AbortHandle;
use uniffi::{Handle, Lift, Lower};

use crate::client::ManagementClient;
use crate::errors::AuthingError;
use crate::runtime::runtime;
use crate::UniFfiTag;

/// Receives a call's outcome: the caller's `token`, `code` 0 with a `ResignUserResponse`
/// or 1 with an `AuthingError` (uniffi's serialization of either), borrowed `len` bytes.
pub type DirectDone = extern "C" fn(token: u64, code: i8, data: *const u8, len: u64);

/// Starts `resignUserBatch`: `client` is a handle the call takes over (a clone, as
/// uniffi's methods take), `args` holds `UserIds` then `Option<UserIdType>` written by
/// uniffi's Kotlin converters. Returns the call handle for
/// [`authing_resign_direct_call_end`].
///
/// # Safety
/// `client` must be an owned `ManagementClient` handle, `args` must point to `args_len`
/// readable bytes for the duration of this call, and `done` must stay callable until
/// the call is ended.
#[no_mangle]
pub unsafe extern "C" fn authing_resign_direct_resign_user_batch(
    client: u64,
    args: *const u8,
    args_len: u64,
    done: DirectDone,
    token: u64,
) -> u64 {
    direct(
        client,
        args,
        args_len,
        done,
        token,
        ManagementClient::batch_call,
    )
}

/// Starts `resignUser`, as [`authing_resign_direct_resign_user_batch`] with a `UserId`.
///
/// # Safety
/// As [`authing_resign_direct_resign_user_batch`].
#[no_mangle]
pub unsafe extern "C" fn authing_resign_direct_resign_user(
    client: u64,
    args: *const u8,
    args_len: u64,
    done: DirectDone,
    token: u64,
) -> u64 {
    direct(
        client,
        args,
        args_len,
        done,
        token,
        ManagementClient::single_call,
    )
}

/// Ends a call started above: aborts its task if it still runs (its callback then never
/// comes) and frees the handle. A handle of 0 (the outcome was delivered at once) is
/// ignored.
///
/// # Safety
/// `call` must come from a start function above and be ended once.
#[no_mangle]
pub unsafe extern "C" fn authing_resign_direct_call_end(call: u64) {
    if call != 0 {
        let handle = Box::from_raw(call as usize as *mut AbortHandle);
        handle.abort();
    }
}

/// Takes over the client behind the owned handle `client`, reads the arguments and
/// starts `method`.
unsafe fn direct<A, F>(
    client: u64,
    args: *const u8,
    args_len: u64,
    done: DirectDone,
    token: u64,
    method: impl FnOnce(&ManagementClient, A, Option<UserIdType>) -> F,
) -> u64
where
    A: Lift<UniFfiTag>,
    F: Future<Output = Result<ResignUserResponse, AuthingError>> + Send + 'static,
{
    let client: Arc<ManagementClient> = Handle::from_raw_unchecked(client).into_arc();
    let call = read_args::<A>(args, args_len).map(|(ids, id_type)| method(&client, ids, id_type));
    start(call, done, token)
}

/// The id argument `A` then the optional id type, read with uniffi's converters; the
/// bytes must be used up, as uniffi's own lifting requires.
unsafe fn read_args<A: Lift<UniFfiTag>>(
    args: *const u8,
    len: u64,
) -> Result<(A, Option<UserIdType>), AuthingError> {
    let bytes = match usize::try_from(len) {
        Ok(len) if !args.is_null() => std::slice::from_raw_parts(args, len),
        _ => &[],
    };
    let mut buf = bytes;
    let read = A::try_read(&mut buf).and_then(|ids| {
        Ok((
            ids,
            <Option<UserIdType> as Lift<UniFfiTag>>::try_read(&mut buf)?,
        ))
    });
    match read {
        Ok(args) if buf.is_empty() => Ok(args),
        Ok(_) => Err(internal("junk data left after the arguments")),
        Err(e) => Err(internal(&format!("unreadable arguments: {e}"))),
    }
}

fn internal(what: &str) -> AuthingError {
    AuthingError::Internal {
        reason: format!("a bug in authing-resign (direct call: {what})"),
    }
}

/// Spawns the call on the binding's runtime, or delivers its error at once (no handle)
/// when the arguments were unreadable or the runtime could not start.
fn start<F>(call: Result<F, AuthingError>, done: DirectDone, token: u64) -> u64
where
    F: Future<Output = Result<ResignUserResponse, AuthingError>> + Send + 'static,
{
    match call.and_then(|call| Ok((call, runtime()?))) {
        Ok((call, rt)) => {
            let task = rt.spawn(async move { deliver(CatchPanic(call).await, done, token) });
            Box::into_raw(Box::new(task.abort_handle())) as usize as u64
        }
        Err(e) => {
            deliver(Err(e), done, token);
            0
        }
    }
}

/// Writes the outcome with uniffi's converters and hands it to the callback.
fn deliver(outcome: Result<ResignUserResponse, AuthingError>, done: DirectDone, token: u64) {
    let mut bytes = Vec::new();
    let code = match outcome {
        Ok(response) => {
            <ResignUserResponse as Lower<UniFfiTag>>::write(response, &mut bytes);
            0
        }
        Err(e) => {
            <AuthingError as Lower<UniFfiTag>>::write(e, &mut bytes);
            1
        }
    };
    done(token, code, bytes.as_ptr(), bytes.len() as u64);
}

/// Turns a panic of the call into [`AuthingError::Internal`], so its caller always gets
/// an outcome (no panic crosses the FFI).
struct CatchPanic<F>(F);

impl<F: Future<Output = Result<T, AuthingError>>, T> Future for CatchPanic<F> {
    type Output = Result<T, AuthingError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: the inner future is never moved out of `self`.
        let inner = unsafe { self.map_unchecked_mut(|s| &mut s.0) };
        match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(poll) => poll,
            Err(payload) => Poll::Ready(Err(AuthingError::from_panic(payload))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::UserId;

    #[test]
    fn a_panic_in_a_direct_call_is_a_typed_internal_error() {
        let result = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(CatchPanic(async {
                if true {
                    panic!("boom in a direct call");
                }
                Ok(())
            }));
        assert!(
            matches!(result, Err(AuthingError::Internal { reason }) if reason.contains("boom in a direct call"))
        );
    }

    #[test]
    fn arguments_with_junk_after_them_are_refused() {
        let mut bytes = Vec::new();
        <UserId as Lower<UniFfiTag>>::write(UserId("ann".into()), &mut bytes);
        <Option<UserIdType> as Lower<UniFfiTag>>::write(None, &mut bytes);
        let ok = unsafe { read_args::<UserId>(bytes.as_ptr(), bytes.len() as u64) };
        assert_eq!(ok.unwrap(), (UserId("ann".into()), None));
        bytes.push(0);
        let junk = unsafe { read_args::<UserId>(bytes.as_ptr(), bytes.len() as u64) };
        assert!(matches!(junk, Err(AuthingError::Internal { .. })));
    }
}
