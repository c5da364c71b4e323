//! Results of asyncio calls delivered by the event loop's own thread: per loop, a queue
//! of finished calls and one wake socket registered with `loop.add_reader`.
//!
//! A runtime worker that finishes a call pushes (asyncio future, outcome) and writes one
//! byte to the wake socket only if the queue was empty, so calls finishing together cost
//! one wake-up; the loop thread's reader ([`Drain`]) builds each result with the GIL it
//! already holds and sets each future that is not done (cancelled) yet. No Rust thread
//! attaches to Python to deliver a result: there is no hand-off to a blocking thread,
//! no GIL taken from the loop, and nothing that can run while the interpreter exits
//! (an item whose loop is gone is dropped; a `Py` dropped without the GIL only queues
//! its decref in pyo3's pool, which is safe at any time).
//!
//! A loop's queue is found by the loop's address in [`LOOPS`]; a `weakref.finalize` on
//! the loop forgets it before that address can be reused (and at exit), dropping what it
//! still holds. Closing the loop drops its reader, which closes the queue: calls still in
//! flight then finish into nothing (nobody can await them any more), and the socket pair
//! is closed when the last of them is done. A loop that has no `add_reader` (Windows' `ProactorEventLoop`), or that
//! cannot be weakly referenced, gets [`Delivery::Fallback`]: the caller hands results
//! over through `call_soon_threadsafe` instead. So does every loop off Unix (the wake
//! socket is a Unix socket pair).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use pyo3::prelude::*;

use crate::awaitable::Outcome;

/// How a loop gets its results (what [`LOOPS`] remembers for it).
#[derive(Clone)]
pub(crate) enum Delivery {
    /// Pushed to the loop's queue, delivered by its reader.
    Queue(Arc<Queue>),
    /// Handed over with `call_soon_threadsafe` from a Rust thread.
    Fallback,
}

/// Each loop's delivery, by the loop's address, until its finalizer forgets it.
static LOOPS: Mutex<Option<HashMap<usize, Delivery>>> = Mutex::new(None);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The delivery for `event_loop` (the running loop of this thread), set up on its first
/// call. No lock is held while Python runs: a finalizer run by the garbage collector
/// inside these calls takes [`LOOPS`] itself.
pub(crate) fn for_loop(py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> Delivery {
    let key = event_loop.as_ptr() as usize;
    match lock(&LOOPS).as_ref().and_then(|m| m.get(&key)) {
        // A closed queue lost its reader (removed by someone else): a new one replaces it.
        Some(Delivery::Queue(q)) if !q.is_closed() => return Delivery::Queue(q.clone()),
        Some(Delivery::Fallback) => return Delivery::Fallback,
        _ => {}
    }
    let delivery = match register(py, event_loop) {
        Ok(delivery) => delivery,
        // Not weakly referenceable: cannot be remembered safely, so not remembered.
        Err(_) => return Delivery::Fallback,
    };
    // A replaced (closed) queue is dropped after the lock is released.
    let replaced = lock(&LOOPS)
        .get_or_insert_with(HashMap::new)
        .insert(key, delivery.clone());
    drop(replaced);
    delivery
}

/// Sets `event_loop` up: its queue and reader, or the fallback if it has no working
/// `add_reader`; and the finalizer that forgets it. `Err` if it cannot be weakly
/// referenced (its reader, if added, is removed again).
fn register(py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> PyResult<Delivery> {
    let entry = match Queue::new() {
        Some(queue) => {
            let queue = Arc::new(queue);
            let added = event_loop.call_method1(
                pyo3::intern!(py, "add_reader"),
                (queue.reader_fd(), Drain(queue.clone())),
            );
            match added {
                Ok(_) => Delivery::Queue(queue),
                Err(_) => Delivery::Fallback,
            }
        }
        None => Delivery::Fallback,
    };
    let forget = Forget(event_loop.as_ptr() as usize);
    let finalize = py.import("weakref")?.getattr("finalize");
    if let Err(e) = finalize.and_then(|f| f.call1((event_loop, forget))) {
        if let Delivery::Queue(q) = &entry {
            let _ = event_loop.call_method1(pyo3::intern!(py, "remove_reader"), (q.reader_fd(),));
        }
        return Err(e);
    }
    Ok(entry)
}

/// The loop's finalizer (it is being destroyed, or the interpreter exits): forgets it
/// and drops the results it never delivered.
#[pyclass(frozen, module = "authing_resign._native")]
struct Forget(usize);

#[pymethods]
impl Forget {
    fn __call__(&self) {
        let entry = lock(&LOOPS).as_mut().and_then(|m| m.remove(&self.0));
        if let Some(Delivery::Queue(q)) = entry {
            // Dropped here, with the GIL, after the locks are released (a decref may run
            // a `__del__` that makes another call).
            drop(q.close());
        }
    }
}

/// A finished call waiting for its loop.
struct Completed {
    future: Py<PyAny>,
    outcome: Outcome,
}

struct Pending {
    items: Vec<Completed>,
    /// The loop is gone: what arrives is dropped.
    closed: bool,
}

/// One loop's finished calls and its wake socket pair (the reader end is registered
/// with the loop; both are non-blocking and closed when the last holder drops them).
pub(crate) struct Queue {
    pending: Mutex<Pending>,
    #[cfg(unix)]
    wake: std::os::unix::net::UnixStream,
    #[cfg(unix)]
    woken: std::os::unix::net::UnixStream,
}

impl Queue {
    #[cfg(unix)]
    fn new() -> Option<Self> {
        let (wake, woken) = std::os::unix::net::UnixStream::pair().ok()?;
        wake.set_nonblocking(true).ok()?;
        woken.set_nonblocking(true).ok()?;
        Some(Self {
            pending: Mutex::new(Pending {
                items: Vec::new(),
                closed: false,
            }),
            wake,
            woken,
        })
    }

    #[cfg(not(unix))]
    fn new() -> Option<Self> {
        None
    }

    #[cfg(unix)]
    fn reader_fd(&self) -> i32 {
        std::os::fd::AsRawFd::as_raw_fd(&self.woken)
    }

    #[cfg(not(unix))]
    fn reader_fd(&self) -> i32 {
        unreachable!("no queue is made off Unix")
    }

    /// Queues a finished call (from any thread, without the GIL) and wakes the loop if
    /// the queue was empty: otherwise a wake-up is already on its way.
    pub(crate) fn push(&self, future: Py<PyAny>, outcome: Outcome) {
        let completed = Completed { future, outcome };
        let mut pending = lock(&self.pending);
        if pending.closed {
            drop(pending);
            drop(completed);
            return;
        }
        let first = pending.items.is_empty();
        pending.items.push(completed);
        drop(pending);
        if first {
            self.wake();
        }
    }

    #[cfg(unix)]
    fn wake(&self) {
        use std::io::Write;
        // A full socket (`WouldBlock`) already holds an unread wake-up.
        let _ = (&self.wake).write(&[1]);
    }

    #[cfg(not(unix))]
    fn wake(&self) {}

    /// Empties the wake socket, then takes the queue: in this order, a push that lands
    /// after the take finds the queue empty and writes a fresh wake-up.
    fn take(&self) -> Vec<Completed> {
        #[cfg(unix)]
        {
            use std::io::Read;
            let mut buf = [0u8; 64];
            while let Ok(n) = (&self.woken).read(&mut buf) {
                if n < buf.len() {
                    break;
                }
            }
        }
        std::mem::take(&mut lock(&self.pending).items)
    }

    fn is_closed(&self) -> bool {
        lock(&self.pending).closed
    }

    /// Refuses further pushes and hands back what was queued.
    fn close(&self) -> Vec<Completed> {
        let mut pending = lock(&self.pending);
        pending.closed = true;
        std::mem::take(&mut pending.items)
    }
}

/// The loop's reader callback: delivers every queued result, on the loop's thread.
#[pyclass(frozen, module = "authing_resign._native")]
struct Drain(Arc<Queue>);

/// The loop dropped its reader (`loop.close()` clears its selector): nothing will drain
/// the queue again, so it is closed and what it holds dropped, here with the GIL. The
/// queued futures hold their loop: kept, they would keep a closed loop alive for ever.
impl Drop for Drain {
    fn drop(&mut self) {
        drop(self.0.close());
    }
}

#[pymethods]
impl Drain {
    fn __call__(&self, py: Python<'_>) {
        for Completed { future, outcome } in self.0.take() {
            crate::awaitable::settle(py, future.bind(py), outcome);
        }
    }
}
