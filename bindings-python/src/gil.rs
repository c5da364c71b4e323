//! Every attach to Python made from a Rust thread (the runtime's workers and blocking
//! pool, a blocking call's wait) goes through [`attach`], so that the interpreter's exit
//! can wait for them.
//!
//! Why: once CPython (3.9–3.12) has started finalizing, a thread that takes the GIL back
//! is ended with `pthread_exit`, whose forced unwind runs Rust drop glue that decrefs
//! Python objects without the GIL: the host process crashes (SIGSEGV, or "Fatal Python
//! error: PyGILState_Release"). A thread gives the GIL up at any I/O call or switch
//! interval, so merely being attached when `asyncio.run` returns is enough. pyo3's
//! `Python::try_attach` does not help: it checks `Py_IsFinalizing` only on 3.13+, never
//! under our abi3-py39 build, and a check at attach time cannot cover a GIL taken back
//! later in the same attach.
//!
//! So an `atexit` hook ([`register_exit_hook`]; atexit runs before CPython marks the
//! interpreter finalizing) closes the gate: later attaches are skipped (what they would
//! have delivered is dropped; objects dropped without the GIL go to pyo3's deferred
//! pool, which is safe) and the hook waits, with the GIL released and for at most
//! [`EXIT_WAIT`], for the attaches in progress to leave.

use std::cell::Cell;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use pyo3::prelude::*;

/// The longest the exit hook waits for attaches in progress (a slow `on_progress` or
/// logging handler); past it the interpreter exits anyway, as it would without us.
pub(crate) const EXIT_WAIT: Duration = Duration::from_secs(5);

struct Gate {
    /// Set by the exit hook: no new attach.
    closed: bool,
    /// Attaches in progress (outermost ones; a nested attach is not counted again).
    inside: usize,
}

static GATE: Mutex<Gate> = Mutex::new(Gate {
    closed: false,
    inside: 0,
});
static LEFT: Condvar = Condvar::new();

thread_local! {
    /// How deep this thread is inside [`attach`]: a nested attach is already covered.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

fn gate() -> MutexGuard<'static, Gate> {
    GATE.lock().unwrap_or_else(|p| p.into_inner())
}

/// Leaves the gate when dropped, also on a panic inside the attach.
struct Inside {
    outermost: bool,
}

impl Drop for Inside {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get() - 1));
        if self.outermost {
            let mut g = gate();
            g.inside -= 1;
            if g.inside == 0 {
                LEFT.notify_all();
            }
        }
    }
}

/// Runs `f` attached to Python, or returns `None` without touching Python once the
/// interpreter is exiting (after the exit hook ran).
pub(crate) fn attach<R>(f: impl for<'py> FnOnce(Python<'py>) -> R) -> Option<R> {
    let outermost = DEPTH.with(|d| d.get()) == 0;
    if outermost {
        let mut g = gate();
        if g.closed {
            return None;
        }
        g.inside += 1;
    }
    DEPTH.with(|d| d.set(d.get() + 1));
    let _inside = Inside { outermost };
    Some(Python::attach(f))
}

/// The exit hook: closes the gate, then waits (GIL released) until no attach is in
/// progress or [`EXIT_WAIT`] has passed.
#[pyfunction]
fn close_gate(py: Python<'_>) {
    py.detach(|| {
        let deadline = Instant::now() + EXIT_WAIT;
        let mut g = gate();
        g.closed = true;
        while g.inside > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            g = LEFT
                .wait_timeout(g, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    });
}

/// Registers [`close_gate`] with `atexit` (at import, so it runs after any hook the
/// program registers later, which may still use the SDK).
pub(crate) fn register_exit_hook(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let hook = pyo3::wrap_pyfunction!(close_gate, m)?;
    m.py().import("atexit")?.call_method1("register", (hook,))?;
    Ok(())
}
