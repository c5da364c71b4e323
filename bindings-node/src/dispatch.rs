//! How a native call reaches napi's tokio runtime from the JS thread.
//!
//! `spawn` from a thread outside the runtime pushes the task onto the shared queue and
//! wakes a parked worker, which wakes up "searching" and, on finding the task, wakes a
//! second worker to look for more: with one call in flight that is a worker woken for
//! nothing on every call (two context switches). A worker woken by its I/O driver does
//! not search. So on Unix each JS thread's calls are queued for one dispatcher task on
//! the runtime, and the JS thread rings it by writing a byte on a socket that task
//! reads: the worker parked on the I/O driver wakes, and the dispatcher spawns the calls
//! on that worker (they run there, or are stolen by the other worker when several are
//! queued). A byte is written only when the dispatcher is waiting with nothing left to
//! do, so many calls made at once ring once.

use std::future::Future;
use std::pin::Pin;

/// A call, as the dispatcher spawns it.
type Job = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Runs `call` on napi's tokio runtime.
pub(crate) fn spawn<F: Future<Output = ()> + Send + 'static>(call: F) {
    #[cfg(unix)]
    let call = match bell::ring(Box::pin(call)) {
        Ok(()) => return,
        Err(call) => call,
    };
    napi::bindgen_prelude::spawn(call);
}

#[cfg(unix)]
mod bell {
    use std::cell::RefCell;
    use std::io::{ErrorKind, Write};
    use std::os::unix::net::UnixStream;
    use std::sync::{Arc, Mutex, PoisonError};

    use super::Job;

    /// One JS thread's queue of calls for its dispatcher.
    struct Inbox {
        queue: Mutex<Queue>,
        /// The JS thread's end of the socket.
        bell: UnixStream,
    }

    struct Queue {
        jobs: Vec<Job>,
        /// The dispatcher found the queue empty and waits for a byte.
        armed: bool,
        /// The dispatcher is running (false once its task ended: the runtime shut down).
        open: bool,
    }

    thread_local! {
        static INBOX: RefCell<Option<Arc<Inbox>>> = const { RefCell::new(None) };
    }

    /// Queues `job` for this thread's dispatcher (started on first use, or again if
    /// the previous one ended); gives it back when no dispatcher can take it.
    pub(super) fn ring(job: Job) -> Result<(), Job> {
        INBOX.with(|cell| {
            let mut slot = cell.borrow_mut();
            let job = match slot.as_ref() {
                Some(inbox) => match inbox.push(job) {
                    Ok(()) => return Ok(()),
                    Err(job) => job,
                },
                None => job,
            };
            let Some(inbox) = Inbox::start() else {
                return Err(job);
            };
            let pushed = inbox.push(job);
            *slot = Some(inbox);
            pushed
        })
    }

    impl Inbox {
        /// A socket pair and the dispatcher task reading one end; `None` when the
        /// socket cannot be made.
        fn start() -> Option<Arc<Self>> {
            let (bell, heard) = UnixStream::pair().ok()?;
            bell.set_nonblocking(true).ok()?;
            heard.set_nonblocking(true).ok()?;
            let inbox = Arc::new(Self {
                queue: Mutex::new(Queue {
                    jobs: Vec::new(),
                    armed: false,
                    open: true,
                }),
                bell,
            });
            napi::bindgen_prelude::spawn(dispatch(inbox.clone(), heard));
            Some(inbox)
        }

        fn lock(&self) -> std::sync::MutexGuard<'_, Queue> {
            self.queue.lock().unwrap_or_else(PoisonError::into_inner)
        }

        /// Queues `job`, ringing when the dispatcher waits; gives it back when the
        /// dispatcher has ended.
        fn push(&self, job: Job) -> Result<(), Job> {
            let ring = {
                let mut queue = self.lock();
                if !queue.open {
                    return Err(job);
                }
                queue.jobs.push(job);
                std::mem::replace(&mut queue.armed, false)
            };
            if ring {
                // Outside the lock, so the woken dispatcher does not wait for it. It
                // cannot block (at most one byte is unread). It fails only when the
                // dispatcher just ended with the runtime (EPIPE; Node ignores SIGPIPE),
                // and then that end dropped the queued job, which rejected its promise.
                let _ = (&self.bell).write(&[1]);
            }
            Ok(())
        }

        /// What is queued; arms the bell when nothing is.
        fn take(&self) -> Vec<Job> {
            let mut queue = self.lock();
            let jobs = std::mem::take(&mut queue.jobs);
            queue.armed = jobs.is_empty();
            jobs
        }
    }

    /// Closes the inbox when the dispatcher task ends (dropped with its runtime, or
    /// its socket failed): later calls are spawned directly or by a new dispatcher, and
    /// the calls still queued are dropped, which rejects their promises.
    struct Closer(Arc<Inbox>);

    impl Drop for Closer {
        fn drop(&mut self) {
            let jobs = {
                let mut queue = self.0.lock();
                queue.open = false;
                std::mem::take(&mut queue.jobs)
            };
            drop(jobs);
        }
    }

    /// The dispatcher: spawns what is queued, then waits for the bell.
    async fn dispatch(inbox: Arc<Inbox>, heard: UnixStream) {
        let closer = Closer(inbox);
        let Ok(heard) = tokio::net::UnixStream::from_std(heard) else {
            return;
        };
        let mut buf = [0u8; 64];
        loop {
            let jobs = closer.0.take();
            if !jobs.is_empty() {
                for job in jobs {
                    tokio::spawn(job);
                }
                continue;
            }
            if heard.readable().await.is_err() {
                return;
            }
            loop {
                match heard.try_read(&mut buf) {
                    Ok(0) => return,
                    Ok(_) => {}
                    Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                    Err(_) => return,
                }
            }
        }
    }
}
