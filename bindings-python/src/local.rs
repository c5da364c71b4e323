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
//! deregistering would affect the parent) by a hook `os.register_at_fork` runs in the
//! child ([`forget_inherited`]), and the child builds its own. (Before, each call
//! compared the process id with the one the state was made in: a `getpid` system call
//! per call.)

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

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
pub(crate) struct ThreadRuntime {
    rt: Option<tokio::runtime::Runtime>,
    /// When this thread last left the runtime (the end of its last blocking call): how
    /// long its connections went unpolled ([`crate::blocking::wait`]).
    left: Cell<Option<Instant>>,
}

impl ThreadRuntime {
    pub(crate) fn get(&self) -> &tokio::runtime::Runtime {
        self.rt.as_ref().expect("present until dropped")
    }

    /// How long ago this thread last left the runtime (`None`: never entered).
    pub(crate) fn away(&self) -> Option<Duration> {
        self.left.get().map(|t| t.elapsed())
    }

    /// Records that this thread leaves the runtime now.
    pub(crate) fn leave(&self) {
        self.left.set(Some(Instant::now()));
    }
}

impl Drop for ThreadRuntime {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

struct Local {
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
            let local = match &mut *slot {
                Some(local) => local,
                empty => empty.insert(Local {
                    rt: Rc::new(build_runtime()?),
                    clients: Vec::new(),
                }),
            };
            f(local)
        })
        .unwrap_or_else(|_| Err(PyRuntimeError::new_err("this thread is exiting")))
}

/// Run in a forked child (registered with `os.register_at_fork` at import, so it runs
/// for every fork that leaves Python usable, `multiprocessing`'s included) on the one
/// thread the child has, the forking one: its state, inherited from the parent, is
/// shared with it and is therefore never touched (neither used nor dropped). The
/// other threads' states are not in the child at all.
///
/// It also reseeds the thread's generator of request signature nonces (the core's
/// `reseed_after_fork`): a copy of the parent's, the child and the parent would
/// otherwise send the same nonces, and Authing refuses the second of each as a replay
/// (401, apiCode 1306).
#[pyfunction]
fn forget_inherited() {
    let _ = LOCAL.try_with(|cell| {
        if let Ok(mut slot) = cell.try_borrow_mut() {
            std::mem::forget(slot.take());
        }
    });
    authing_resign::auth::signature::reseed_after_fork();
}

/// Registers [`forget_inherited`] to run in every forked child (where the platform
/// forks: `os.register_at_fork` does not exist on Windows).
pub(crate) fn register_fork_hook(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let os = m.py().import("os")?;
    if !os.hasattr("register_at_fork")? {
        return Ok(());
    }
    let hook = pyo3::wrap_pyfunction!(forget_inherited, m)?;
    let kwargs = pyo3::types::PyDict::new(m.py());
    kwargs.set_item("after_in_child", hook)?;
    os.call_method("register_at_fork", (), Some(&kwargs))?;
    Ok(())
}

fn build_runtime() -> PyResult<ThreadRuntime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map(|rt| ThreadRuntime {
            rt: Some(rt),
            left: Cell::new(None),
        })
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
