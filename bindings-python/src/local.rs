//! What a blocking call runs on: the calling thread's own current-thread tokio runtime
//! and, per client, the thread's own connection pool.
//!
//! Why: on the process's multi-thread runtime a blocking call polled its future on the
//! calling thread while hyper's connection task ran on a runtime worker, so every call
//! bounced between two threads (~7 context switches a call at concurrency 1). Here the
//! whole call, connection task included, runs inside the caller's `block_on`.
//!
//! A connection only makes progress while the runtime that opened it runs, so a pool
//! is never shared between threads: each thread keeps, per client, a clone made by the
//! core's `ManagementClient::with_own_connections` (same options and token cache, its
//! own pool). An entry lives as long as its client is open: it holds a `Weak` of the
//! client's liveness marker ([`Open`]) and is purged on the thread's next blocking call
//! once the client is closed or gone, so short-lived clients do not accumulate.
//!
//! A thread that exits drops its runtime and pools (its thread-local destructor) without
//! waiting for anything ([`ThreadRuntime`]). After `fork()` the child inherits the
//! forking thread's runtime and pools, whose epoll instance and sockets it shares with
//! the parent: they are abandoned (leaked, never used nor closed, as closing or
//! deregistering would affect the parent) and the child builds its own.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, Weak};

use authing_resign::ManagementClient;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use crate::errors::to_pyerr;

/// An open core client and the marker whose `Weak`s the threads' entries hold: dropped
/// when the Python client is closed or collected.
#[derive(Clone)]
pub(crate) struct Open {
    pub client: ManagementClient,
    alive: Arc<()>,
}

impl Open {
    pub(crate) fn new(client: ManagementClient) -> Self {
        Self {
            client,
            alive: Arc::new(()),
        }
    }
}

/// A current-thread runtime that is shut down without waiting when dropped: a thread's
/// exit must not block on, e.g., a DNS lookup still running on the blocking pool.
pub(crate) struct ThreadRuntime(Option<tokio::runtime::Runtime>);

impl ThreadRuntime {
    pub(crate) fn get(&self) -> &tokio::runtime::Runtime {
        self.0.as_ref().expect("present until dropped")
    }
}

impl Drop for ThreadRuntime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

struct Local {
    pid: u32,
    rt: Rc<ThreadRuntime>,
    /// The thread's clone of each open client it used, found by its marker.
    clients: Vec<(Weak<()>, ManagementClient)>,
}

thread_local! {
    static LOCAL: RefCell<Option<Local>> = const { RefCell::new(None) };
}

/// Runs `f` on this thread's state, building it on first use (and again after a fork).
fn with_local<R>(f: impl FnOnce(&mut Local) -> PyResult<R>) -> PyResult<R> {
    LOCAL
        .try_with(|cell| {
            let mut slot = cell.borrow_mut();
            let pid = std::process::id();
            if slot.as_ref().is_some_and(|l| l.pid != pid) {
                // Inherited through fork(): shared with the parent, so never touched.
                std::mem::forget(slot.take());
            }
            let local = match &mut *slot {
                Some(local) => local,
                empty => empty.insert(Local {
                    pid,
                    rt: Rc::new(build_runtime()?),
                    clients: Vec::new(),
                }),
            };
            f(local)
        })
        .unwrap_or_else(|_| Err(PyRuntimeError::new_err("this thread is exiting")))
}

fn build_runtime() -> PyResult<ThreadRuntime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map(|rt| ThreadRuntime(Some(rt)))
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start a tokio runtime: {e}")))
}

/// This thread's runtime (an `Rc`: no borrow of the thread's state is held while a call
/// runs, so a signal handler may make a call of its own between wait slices) and its
/// clone of `open`'s client, made on first use; entries of clients closed or gone since
/// are dropped first. One look-up of the thread's state per call.
pub(crate) fn client(
    py: Python<'_>,
    open: &Open,
) -> PyResult<(Rc<ThreadRuntime>, ManagementClient)> {
    // The error is converted after the thread's state is released: building a Python
    // exception may run Python code, which may make a blocking call of its own.
    with_local(|l| {
        l.clients.retain(|(alive, _)| alive.strong_count() > 0);
        let rt = Rc::clone(&l.rt);
        let key = Arc::as_ptr(&open.alive);
        // A `Weak` keeps its allocation, so a live entry's address is never reused.
        if let Some((_, c)) = l.clients.iter().find(|(a, _)| a.as_ptr() == key) {
            return Ok(Ok((rt, c.clone())));
        }
        let own = open.client.with_own_connections();
        if let Ok(own) = &own {
            l.clients.push((Arc::downgrade(&open.alive), own.clone()));
        }
        Ok(own.map(|own| (rt, own)))
    })?
    .map_err(|e| to_pyerr(py, &e))
}

/// How many entries (clients' clones, live or not yet purged) this thread holds; for
/// the tests that check short-lived clients do not accumulate.
#[pyfunction]
pub(crate) fn _thread_clients() -> PyResult<usize> {
    with_local(|l| Ok(l.clients.len()))
}
