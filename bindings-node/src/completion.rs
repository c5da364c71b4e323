//! How the promise of a native call settles: through one completion channel per
//! JavaScript environment.
//!
//! napi-rs's deferred makes a threadsafe function (a `uv_async_t` created, an async
//! resource, a cleanup hook, then closed again) for every promise. Here each
//! environment has one long-lived threadsafe function: a finished call pushes what it
//! produced onto that function's queue from whatever thread it finished on, and the JS
//! thread drains everything queued by then in one wake-up, building each value (or
//! error object, through `errors::to_js`) and resolving (rejecting) the raw deferred.
//!
//! The function's handle is referenced only while calls are in flight, so a process
//! waits for its calls, as it would for a socket, and may exit when none is left. Every
//! promise settles: a panic in the call rejects it, and a call dropped before it
//! finished (the runtime shut down under it) rejects it too. When the environment tears
//! down (process exit, a worker's end), its cleanup hook takes the function away under
//! the lock the finishing threads use, so nothing calls into it afterwards; results
//! finished later are dropped with the promises that went with the environment.

use std::cell::RefCell;
use std::ffi::c_void;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::ptr;
use std::sync::{Arc, Mutex, PoisonError};

use futures_util::FutureExt;
use napi::bindgen_prelude::{PromiseRaw, ToNapiValue};
use napi::{check_status, sys, Env, Error, Result, Status};

use crate::errors::to_js;

/// What a finished call leaves for the JS thread: its promise's deferred and how to
/// build the settlement there.
struct Finished {
    deferred: sys::napi_deferred,
    outcome: Outcome,
}

/// Builds the resolution (`Ok`) or the rejection (`Err`) on the JS thread.
type Outcome = Box<dyn FnOnce(sys::napi_env) -> Result<sys::napi_value> + Send>;

// A `napi_deferred` is an opaque handle that is only dereferenced by Node on the JS
// thread (in `settle`); carrying it across threads is what the channel is for.
unsafe impl Send for Finished {}

/// The part of a channel the finishing threads share: the threadsafe function, until the
/// environment tears down.
struct Shared {
    tsfn: Mutex<Option<Tsfn>>,
}

#[derive(Clone, Copy)]
struct Tsfn(sys::napi_threadsafe_function);

// Calling a threadsafe function from any thread is its documented purpose; the mutex
// in `Shared` keeps calls away from it once the environment tears down.
unsafe impl Send for Tsfn {}

impl Shared {
    /// Hands a finished call to the JS thread; drops it when the environment is gone.
    fn push(&self, finished: Box<Finished>) {
        let tsfn = self.tsfn.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(Tsfn(tsfn)) = *tsfn else { return };
        let data = Box::into_raw(finished);
        // Non-blocking: the queue is unbounded, so the call cannot wait; it only fails
        // while the function is closing, and then the item is ours to drop.
        let status = unsafe {
            sys::napi_call_threadsafe_function(
                tsfn,
                data.cast(),
                sys::ThreadsafeFunctionCallMode::nonblocking,
            )
        };
        if status != sys::Status::napi_ok {
            drop(unsafe { Box::from_raw(data) });
        }
    }
}

/// One environment's channel, kept on its JS thread.
struct Channel {
    env: sys::napi_env,
    tsfn: sys::napi_threadsafe_function,
    shared: Arc<Shared>,
    /// Promises made and not yet settled; the function's handle is referenced while
    /// this is above zero.
    in_flight: usize,
}

thread_local! {
    /// The channel of the environment whose JS thread this is (Node runs one
    /// environment per thread: the main one, or a worker's).
    static CHANNEL: RefCell<Option<Channel>> = const { RefCell::new(None) };
}

/// The promise of one native call, before it is settled: settle it with
/// [`Pending::finish`]; dropped unsettled (the call's future was dropped), it rejects.
pub(crate) struct Pending {
    deferred: sys::napi_deferred,
    shared: Option<Arc<Shared>>,
}

// See `Finished`.
unsafe impl Send for Pending {}

impl Pending {
    /// Creates the promise on the JS thread and counts it in flight.
    pub(crate) fn new<T>(env: &Env) -> Result<(Self, PromiseRaw<'_, T>)> {
        let mut deferred = ptr::null_mut();
        let mut promise = ptr::null_mut();
        check_status!(unsafe { sys::napi_create_promise(env.raw(), &mut deferred, &mut promise) })?;
        let shared = start(env.raw())?;
        let pending = Self {
            deferred,
            shared: Some(shared),
        };
        Ok((pending, PromiseRaw::new(env.raw(), promise)))
    }

    /// Settles the promise with `outcome`, built on the JS thread.
    fn finish(mut self, outcome: Outcome) {
        if let Some(shared) = self.shared.take() {
            shared.push(Box::new(Finished {
                deferred: self.deferred,
                outcome,
            }));
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.take() {
            shared.push(Box::new(Finished {
                deferred: self.deferred,
                outcome: Box::new(|env| unsafe {
                    ToNapiValue::to_napi_value(
                        env,
                        Error::new(
                            Status::GenericFailure,
                            "the native call was stopped before it finished (its runtime shut down)",
                        ),
                    )
                }),
            }));
        }
    }
}

/// Runs `call` to its end and settles `pending` with what it returned: the value
/// converted on the JS thread, a core error as the `Error` object of `errors::to_js`, a
/// panic as a rejection naming it (never an abort, never a promise left pending).
pub(crate) async fn complete<T, F>(pending: Pending, call: F)
where
    T: ToNapiValue + Send + 'static,
    F: Future<Output = std::result::Result<T, authing_resign::Error>>,
{
    let outcome: Outcome = match AssertUnwindSafe(call).catch_unwind().await {
        Ok(Ok(value)) => Box::new(move |env| unsafe { T::to_napi_value(env, value) }),
        Ok(Err(err)) => Box::new(move |env| Err(to_js(&Env::from_raw(env), err))),
        Err(panic) => {
            let what = authing_resign::error::panic_text(&*panic);
            let message = format!("panic in the native call: {what}");
            Box::new(move |_| Err(Error::new(Status::GenericFailure, message)))
        }
    };
    pending.finish(outcome);
}

/// Counts one more promise in flight in `env`'s channel (made on first use), referencing
/// the channel's handle when it was idle; returns what finishing threads push to.
fn start(env: sys::napi_env) -> Result<Arc<Shared>> {
    CHANNEL.with(|cell| {
        let mut slot = cell.borrow_mut();
        let channel = match &mut *slot {
            Some(channel) if channel.env == env => channel,
            _ => slot.insert(Channel::open(env)?),
        };
        if channel.in_flight == 0 {
            check_status!(unsafe { sys::napi_ref_threadsafe_function(env, channel.tsfn) })?;
        }
        channel.in_flight += 1;
        Ok(channel.shared.clone())
    })
}

impl Channel {
    /// The environment's threadsafe function (unreferenced: idle) and the cleanup hook
    /// that takes it away at teardown.
    fn open(env: sys::napi_env) -> Result<Self> {
        let mut name = ptr::null_mut();
        let label = c"authing-resign completions";
        check_status!(unsafe {
            sys::napi_create_string_utf8(
                env,
                label.as_ptr(),
                label.count_bytes() as isize,
                &mut name,
            )
        })?;
        let mut tsfn = ptr::null_mut();
        check_status!(unsafe {
            sys::napi_create_threadsafe_function(
                env,
                ptr::null_mut(),
                ptr::null_mut(),
                name,
                0,
                1,
                ptr::null_mut(),
                None,
                ptr::null_mut(),
                Some(deliver),
                &mut tsfn,
            )
        })?;
        let shared = Arc::new(Shared {
            tsfn: Mutex::new(Some(Tsfn(tsfn))),
        });
        // Registered after the function, so it runs before Node's own teardown of it
        // (cleanup hooks run in reverse order of registration).
        let hook = Arc::into_raw(shared.clone()).cast_mut().cast::<c_void>();
        if let Err(err) =
            check_status!(unsafe { sys::napi_add_env_cleanup_hook(env, Some(teardown), hook) })
        {
            drop(unsafe { Arc::from_raw(hook.cast_const().cast::<Shared>()) });
            unsafe { close(&shared) };
            return Err(err);
        }
        // Idle until a call starts; a referenced function that nobody uses would keep
        // the process alive, so a failure here closes it.
        if let Err(err) = check_status!(unsafe { sys::napi_unref_threadsafe_function(env, tsfn) }) {
            unsafe { close(&shared) };
            return Err(err);
        }
        Ok(Self {
            env,
            tsfn,
            shared,
            in_flight: 0,
        })
    }
}

/// Takes the function away from the finishing threads and aborts it.
///
/// # Safety
/// Only on the JS thread of the function's environment.
unsafe fn close(shared: &Shared) {
    let taken = shared
        .tsfn
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    if let Some(Tsfn(tsfn)) = taken {
        unsafe {
            sys::napi_release_threadsafe_function(tsfn, sys::ThreadsafeFunctionReleaseMode::abort)
        };
    }
}

/// The environment's cleanup hook: no call reaches the function after this, and this
/// thread forgets the channel.
unsafe extern "C" fn teardown(hook: *mut c_void) {
    let shared = unsafe { Arc::from_raw(hook.cast_const().cast::<Shared>()) };
    unsafe { close(&shared) };
    let _ = CHANNEL.try_with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot
            .as_ref()
            .is_some_and(|c| Arc::ptr_eq(&c.shared, &shared))
        {
            *slot = None;
        }
    });
}

/// The threadsafe function's callback, on the JS thread: settles one finished call.
/// Node calls it with a null `env` for items still queued when the function is torn
/// down; their promises went with the environment, so the item is only dropped.
unsafe extern "C" fn deliver(
    env: sys::napi_env,
    _callback: sys::napi_value,
    _context: *mut c_void,
    data: *mut c_void,
) {
    let finished = unsafe { Box::from_raw(data.cast::<Finished>()) };
    if env.is_null() {
        return;
    }
    let Finished { deferred, outcome } = *finished;
    unsafe { settle(env, deferred, outcome) };
    let _ = CHANNEL.try_with(|cell| {
        if let Some(channel) = cell.borrow_mut().as_mut().filter(|c| c.env == env) {
            channel.in_flight -= 1;
            if channel.in_flight == 0 {
                unsafe { sys::napi_unref_threadsafe_function(env, channel.tsfn) };
            }
        }
    });
}

/// Resolves or rejects `deferred` with what `outcome` builds; a failure to build the
/// value rejects with that failure.
unsafe fn settle(env: sys::napi_env, deferred: sys::napi_deferred, outcome: Outcome) {
    let rejection = match outcome(env) {
        Ok(value) => {
            if unsafe { sys::napi_resolve_deferred(env, deferred, value) } == sys::Status::napi_ok {
                return;
            }
            Error::new(
                Status::GenericFailure,
                "the native call's value could not resolve its promise",
            )
        }
        Err(err) => err,
    };
    // `ToNapiValue for Error` hands back the JS value the error holds (the object of
    // `errors::to_js`) or makes an `Error` from its message.
    if let Ok(value) = unsafe { ToNapiValue::to_napi_value(env, rejection) } {
        unsafe { sys::napi_reject_deferred(env, deferred, value) };
    }
}

/// Debug builds only, for the test suite: a native call that panics on the runtime with
/// `message`, settled through the channel like every call. (Not in `cargo test` builds,
/// where napi registers nothing and it would be dead code.)
#[cfg(all(debug_assertions, not(test)))]
#[napi]
pub fn panic_in_native_call(env: &Env, message: String) -> Result<PromiseRaw<'_, ()>> {
    let (pending, promise) = Pending::new(env)?;
    crate::dispatch::spawn(complete(pending, async move {
        if !message.is_empty() {
            panic!("{message}");
        }
        Ok::<(), authing_resign::Error>(())
    }));
    Ok(promise)
}
