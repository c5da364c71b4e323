//! Running a plan: bounded concurrency, splitting of rejected chunks, early stop,
//! cancellation, abort and the job deadline.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;

use futures_util::stream::{FuturesUnordered, StreamExt};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::bulk::ledger::Ledger;
use crate::bulk::plan::Plan;
use crate::bulk::triage::{Triage, Verdict};
use crate::bulk::{BulkOptions, Outcome, OutcomeError};
use crate::client::ClientState;
use crate::error::{Error, TimeoutPhase};
use crate::request::UserIdType;
use crate::response::ResignUserResponse;
use crate::transport::Called;

/// What one call came back with: the input indexes it named, and its result.
type Sent = (Vec<usize>, Called<ResignUserResponse>);

/// One job: the client, the input, the options and the optional emergency stop.
pub(crate) struct Job<'a> {
    pub(crate) inner: &'a ClientState,
    pub(crate) ids: &'a [String],
    pub(crate) id_type: UserIdType,
    pub(crate) options: &'a BulkOptions,
    pub(crate) abort: Option<&'a CancellationToken>,
}

impl Job<'_> {
    /// Executes `plan`, returning the ledger, the reason the job stopped early (if it
    /// did) and the number of HTTP requests made.
    pub(crate) async fn execute(
        &self,
        plan: Plan,
        started: Instant,
    ) -> (Ledger, Option<OutcomeError>, u64) {
        let ids = self.ids;
        let mut ledger = Ledger::new(plan.decided);
        let mut queue: VecDeque<Vec<usize>> = plan.chunks.into();
        let mut in_flight: FuturesUnordered<Pin<Box<dyn Future<Output = Sent> + Send + '_>>> =
            FuturesUnordered::new();
        // `validate` caps the deadline far below overflow; checked anyway so that no
        // option value can ever panic here.
        let deadline = self.options.deadline.and_then(|d| started.checked_add(d));
        let mut stop: Option<OutcomeError> = None;
        let mut triage = Triage::default();
        let mut http_calls = 0u64;

        loop {
            while stop.is_none() && in_flight.len() < self.options.concurrency && !queue.is_empty()
            {
                if let Some(reason) = self.stop_reason(deadline) {
                    stop = Some(reason);
                } else if let Some(chunk) = queue.pop_front() {
                    in_flight.push(Box::pin(self.send(chunk, deadline)));
                }
            }
            let Some((chunk, called)) = in_flight.next().await else {
                break;
            };
            http_calls += u64::from(called.requests);
            match called.result {
                Ok(resp) => {
                    triage.succeeded();
                    for &i in &chunk {
                        ledger.decide(i, &ids[i], Outcome::Resigned, None, resp.request_id.clone());
                    }
                }
                Err(e) => {
                    let verdict = triage.judge(&e, chunk.len());
                    // Once the job stops, halves would never be sent: the users of this
                    // call are reported with its failure instead of `not_attempted`.
                    if verdict == Verdict::Split && stop.is_none() {
                        // Halves go first in the queue so a split chunk finishes before new ones start.
                        let (a, b) = chunk.split_at(chunk.len().div_ceil(2));
                        queue.push_front(b.to_vec());
                        queue.push_front(a.to_vec());
                        continue;
                    }
                    let oe = match e {
                        // Only an abort produces `Cancelled` from a call (see `send`).
                        Error::Cancelled => cut_by_abort(),
                        _ => OutcomeError::from(&e),
                    };
                    if verdict == Verdict::Stop && stop.is_none() {
                        stop = Some(oe.clone());
                    }
                    // An answer lost after sending proves nothing either way.
                    let outcome = if called.maybe_acted {
                        Outcome::Unknown
                    } else {
                        Outcome::Failed
                    };
                    let rid = e.request_id().map(str::to_string);
                    for &i in &chunk {
                        ledger.decide(i, &ids[i], outcome, Some(oe.clone()), rid.clone());
                    }
                }
            }
            ledger.report_progress(self.options.on_progress.as_ref());
        }
        (ledger, stop, http_calls)
    }

    /// Why no further chunk may start (abort, cancellation, deadline), if so.
    fn stop_reason(&self, deadline: Option<Instant>) -> Option<OutcomeError> {
        let cancelled = |t: Option<&CancellationToken>| t.is_some_and(|t| t.is_cancelled());
        if cancelled(self.abort) || cancelled(self.options.cancel.as_ref()) {
            Some(OutcomeError::from(&Error::Cancelled))
        } else if deadline.is_some_and(|d| Instant::now() >= d) {
            Some(OutcomeError::from(&Error::Timeout {
                phase: TimeoutPhase::Job,
            }))
        } else {
            None
        }
    }

    /// Sends one chunk. The job deadline and an abort cut the call: its users are then
    /// `unknown` (with a job timeout or `cancelled`), since the server may or may not
    /// have acted on it. A cut call's request count is lost with it; at least one
    /// request was started.
    async fn send(&self, chunk: Vec<usize>, deadline: Option<Instant>) -> Sent {
        let batch: Vec<&str> = chunk.iter().map(|&i| self.ids[i].as_str()).collect();
        let call = self
            .inner
            .resign_user_batch_counted(&batch, Some(self.id_type));
        let cut = |error| Called {
            result: Err(error),
            requests: 1,
            maybe_acted: true,
        };
        let timed = async {
            match deadline {
                None => call.await,
                Some(d) => tokio::time::timeout_at(d, call).await.unwrap_or_else(|_| {
                    cut(Error::Timeout {
                        phase: TimeoutPhase::Job,
                    })
                }),
            }
        };
        let called = match self.abort {
            None => timed.await,
            Some(abort) => tokio::select! {
                r = timed => r,
                () = abort.cancelled() => cut(Error::Cancelled),
            },
        };
        (chunk, called)
    }
}

/// The error of users whose call an abort cut.
fn cut_by_abort() -> OutcomeError {
    OutcomeError {
        message: "cancelled: the call was cut by an abort while in flight; \
                  the server may or may not have acted on it"
            .into(),
        ..OutcomeError::from(&Error::Cancelled)
    }
}
