//! Ctrl-C during a job. First: stop before the next chunk, let calls in flight finish,
//! write the report. Second: cut the calls in flight too (their users are reported
//! `failed`: the server may or may not have acted) and write the report at once; the
//! tool then exits 130. Third: exit at once, without a report.

use authing_resign::CancellationToken;

use crate::exit;

/// Watches Ctrl-C for the whole job (spawn it; abort the task when the job is over).
pub async fn watch(cancel: CancellationToken, abort: CancellationToken, quiet: bool) {
    let Some(mut presses) = Presses::new() else {
        return;
    };
    if !presses.next().await {
        return;
    }
    if !quiet {
        eprintln!(
            "\nauthing-resign: cancelling: waiting for calls in flight, then writing the report \
             (Ctrl-C again to cut the calls in flight)"
        );
    }
    cancel.cancel();
    if !presses.next().await {
        return;
    }
    eprintln!(
        "authing-resign: aborting: cutting the calls in flight (their users are reported failed: \
         the server may or may not have acted) and writing the report (Ctrl-C again to exit \
         without a report)"
    );
    abort.cancel();
    if presses.next().await {
        eprintln!("authing-resign: exited at once; no report written");
        std::process::exit(i32::from(exit::INTERRUPTED));
    }
}

/// Ctrl-C presses. On Unix one listener serves the whole job, so a press that comes
/// while the previous one is being handled is not lost.
struct Presses(#[cfg(unix)] tokio::signal::unix::Signal);

impl Presses {
    fn new() -> Option<Self> {
        #[cfg(unix)]
        {
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
                .ok()
                .map(Self)
        }
        #[cfg(not(unix))]
        {
            Some(Self())
        }
    }

    /// Waits for the next press; `false` if presses can no longer be received.
    async fn next(&mut self) -> bool {
        #[cfg(unix)]
        {
            self.0.recv().await.is_some()
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c().await.is_ok()
        }
    }
}
