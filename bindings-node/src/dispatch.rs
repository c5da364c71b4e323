//! Where the binding's native calls run: its own tokio runtime, one thread with the
//! current-thread scheduler.
//!
//! A call crosses threads twice however it is run: from the JS thread to the thread
//! doing the HTTP, and back through the completion channel. napi's multi-thread runtime
//! added to that: a task spawned from outside it wakes a worker "searching", which wakes
//! the second to search too (a bell on a socket pair read by a dispatcher task avoided
//! that, at two reads and a task poll per call), and with several calls in flight the
//! two workers pass connections and calls between them. Here one thread runs every call,
//! the connections' tasks and the timers: a spawn from the JS thread pushes the call on
//! the runtime's queue and writes the runtime's eventfd (tokio's own wake-up), nothing
//! more. With many calls in flight the JS thread and this thread share the work, one
//! core each.
//!
//! The thread is started on first use and lives as long as the process (it never keeps
//! the process alive: Node exits when its event loop is empty). If it cannot be started,
//! calls run on napi's runtime instead.

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::Handle;

/// The runtime's handle, or `None` when it could not be built or its thread started.
static RUNTIME: OnceLock<Option<Handle>> = OnceLock::new();

/// Runs `call` on the binding's runtime.
pub(crate) fn spawn<F: Future<Output = ()> + Send + 'static>(call: F) {
    match runtime() {
        Some(handle) => drop(handle.spawn(call)),
        None => drop(napi::bindgen_prelude::spawn(call)),
    }
}

/// Runs `f` inside the binding's runtime (for code that may look for a reactor).
pub(crate) fn within<T>(f: impl FnOnce() -> T) -> T {
    match runtime() {
        Some(handle) => {
            let _entered = handle.enter();
            f()
        }
        None => napi::bindgen_prelude::within_runtime_if_available(f),
    }
}

fn runtime() -> Option<&'static Handle> {
    RUNTIME
        .get_or_init(|| authing_resign::runtime::start_background().ok())
        .as_ref()
}
