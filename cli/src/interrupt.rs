//! Ctrl-C (SIGINT), SIGTERM (CI timeouts, `systemctl stop`, `kill`) and SIGHUP (the SSH
//! session dropped) during a job, any mix of them. First: stop before the next chunk,
//! let calls in flight finish, write the report. Second: cut the calls in flight too
//! (their users are reported `failed`: the server may or may not have acted) and write
//! the report at once; the tool then exits 130. Third: exit at once, without a report
//! (the journal still holds every outcome).

use authing_resign::CancellationToken;

use crate::exit;

/// Watches the signals for the whole job (spawn it; abort the task when the job is over).
pub async fn watch(cancel: CancellationToken, abort: CancellationToken, quiet: bool) {
    let Some(mut signals) = Signals::new() else {
        return;
    };
    let Some(name) = signals.next().await else {
        return;
    };
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
