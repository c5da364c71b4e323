//! Ctrl-C (SIGINT), SIGTERM (CI timeouts, `systemctl stop`, `kill`) and SIGHUP (the SSH
//! session dropped) during a job, any mix of them. First: stop before the next chunk,
//! let calls in flight finish, write the report. Second: cut the calls in flight too
//! (their users are reported `failed`: the server may or may not have acted) and write
//! the report at once; the tool then exits 130. Third: exit at once, without a report
//! (the journal still holds every outcome).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use authing_resign::CancellationToken;

use crate::exit;

/// The signal handling of one run, installed when the run starts so that no signal
/// kills the tool with its default action once it is running.
pub struct Watch {
    /// Set once the job is about to send: from then on a signal stops the job
    /// gracefully; before, it ends the run at once (nothing was sent; a confirmation
    /// prompt must not swallow Ctrl-C).
    pub job_started: Arc<AtomicBool>,
    /// First signal: no new chunks.
    pub cancel: CancellationToken,
    /// Second signal: calls in flight are cut.
    pub abort: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

impl Watch {
    /// Starts listening (call inside the runtime).
    pub fn start(quiet: bool) -> Self {
        let job_started = Arc::new(AtomicBool::new(false));
        let (cancel, abort) = (CancellationToken::new(), CancellationToken::new());
        let task = tokio::spawn(watch(
            cancel.clone(),
            abort.clone(),
            quiet,
            job_started.clone(),
        ));
        Self {
            job_started,
            cancel,
            abort,
            task,
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn watch(
    cancel: CancellationToken,
    abort: CancellationToken,
    quiet: bool,
    job_started: Arc<AtomicBool>,
) {
    let Some(mut signals) = Signals::new() else {
        return;
    };
    let Some(name) = signals.next().await else {
        return;
    };
    if !job_started.load(Ordering::SeqCst) {
        crate::errln!("\nauthing-resign: {name}: stopped before anything was sent");
        std::process::exit(i32::from(exit::INTERRUPTED));
    }
    if !quiet {
        crate::errln!(
            "\nauthing-resign: {name}: cancelling: waiting for calls in flight, then writing the \
             report (Ctrl-C again to cut the calls in flight)"
        );
    }
    cancel.cancel();
    let Some(name) = signals.next().await else {
        return;
    };
    crate::errln!(
        "authing-resign: {name} again: aborting: cutting the calls in flight (their users are \
         reported failed: the server may or may not have acted) and writing the report \
         (Ctrl-C again to exit without a report; the journal keeps every outcome)"
    );
    abort.cancel();
    if signals.next().await.is_some() {
        crate::errln!("authing-resign: exited at once; no report written (see the journal)");
        std::process::exit(i32::from(exit::INTERRUPTED));
    }
}

/// The three signals. On Unix one listener per signal serves the whole job, so a
/// signal that comes while the previous one is being handled is not lost.
struct Signals {
    #[cfg(unix)]
    listeners: Vec<(&'static str, tokio::signal::unix::Signal)>,
}

impl Signals {
    fn new() -> Option<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let listeners = [
                ("interrupted (SIGINT)", SignalKind::interrupt()),
                ("SIGTERM", SignalKind::terminate()),
                ("hang-up (SIGHUP)", SignalKind::hangup()),
            ]
            .into_iter()
            .filter_map(|(name, kind)| signal(kind).ok().map(|s| (name, s)))
            .collect::<Vec<_>>();
            (!listeners.is_empty()).then_some(Self { listeners })
        }
        #[cfg(not(unix))]
        {
            Some(Self {})
        }
    }

    /// Waits for the next signal and names it; `None` if none can be received any more.
    async fn next(&mut self) -> Option<&'static str> {
        #[cfg(unix)]
        {
            use std::future::poll_fn;
            use std::task::Poll;
            poll_fn(|cx| {
                let mut open = false;
                for (name, s) in &mut self.listeners {
                    match s.poll_recv(cx) {
                        Poll::Ready(Some(())) => return Poll::Ready(Some(*name)),
                        Poll::Ready(None) => {}
                        Poll::Pending => open = true,
                    }
                }
                if open {
                    Poll::Pending
                } else {
                    Poll::Ready(None)
                }
            })
            .await
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c().await.ok().map(|()| "interrupted")
        }
    }
}
