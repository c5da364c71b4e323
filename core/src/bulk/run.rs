//! Running a plan: bounded concurrency, splitting of rejected chunks, early stop,
//! cancellation, abort and the job deadline.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;

use futures_util::stream::{FuturesUnordered, StreamExt};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::bulk::journal::write::JournalWriter;
use crate::bulk::journal::Record;
use crate::bulk::ledger::Ledger;
use crate::bulk::plan::Plan;
use crate::bulk::triage::{Triage, Verdict};
use crate::bulk::{BulkOptions, Outcome, OutcomeError};
use crate::client::ClientState;
use crate::error::{Error, TimeoutPhase};
use crate::request::UserIdType;
use crate::response::ResignUserResponse;
use crate::transport::Called;

/// What one call came back with: the input indexes it named, its result (with the
/// number of HTTP requests it made), and what the journal made of it.
struct Sent {
    chunk: Vec<usize>,
    called: Called<ResignUserResponse>,
    journal: Journaled,
}

/// Whether the journal holds a call.
enum Journaled {
    /// No journal, or both records on disk.
    Fine,
    /// The `sent` record could not be written: the call was not made.
    NotSent(Error),
    /// The call was made, but its `result` could not be recorded.
    ResultLost(Error),
}

/// One job: the client, the input, the options, the optional emergency stop and the
/// optional journal.
pub(crate) struct Job<'a> {
    pub(crate) inner: &'a ClientState,
    pub(crate) ids: &'a [String],
    pub(crate) id_type: UserIdType,
    pub(crate) options: &'a BulkOptions,
    pub(crate) abort: Option<&'a CancellationToken>,
    pub(crate) journal: Option<&'a JournalWriter>,
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
        let mut call_no = 0u64;
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
                    call_no += 1;
                    in_flight.push(Box::pin(self.send(call_no, chunk, deadline)));
                }
            }
            let Some(Sent {
                chunk,
                called,
                journal,
            }) = in_flight.next().await
            else {
                break;
            };
            http_calls += u64::from(called.requests);
            match journal {
                Journaled::Fine => {}
                // Never sent: its users stay undecided, `not_attempted` at the end.
                Journaled::NotSent(e) => {
                    stop.get_or_insert_with(|| OutcomeError::from(&e));
                    continue;
                }
                // Sent: its users are reported as the server answered, and the job
                // stops, since nothing more it does could be recorded.
                Journaled::ResultLost(e) => {
                    stop.get_or_insert_with(|| OutcomeError::from(&e));
                }
            }
            let (outcome, error, request_id) = decision(&called);
            match &called.result {
                Ok(_) => {
                    triage.succeeded();
                    for &i in &chunk {
                        ledger.decide(i, &ids[i], outcome, None, request_id.clone());
                    }
                }
                Err(e) => {
                    let verdict = triage.judge(e, chunk.len());
                    // Once the job stops, halves would never be sent: the users of this
                    // call are reported with its failure instead of `not_attempted`.
                    if verdict == Verdict::Split && stop.is_none() {
                        // Halves go first in the queue so a split chunk finishes before new ones start.
                        let (a, b) = chunk.split_at(chunk.len().div_ceil(2));
                        queue.push_front(b.to_vec());
                        queue.push_front(a.to_vec());
                        continue;
                    }
                    if verdict == Verdict::Stop && stop.is_none() {
                        stop.clone_from(&error);
                    }
                    for &i in &chunk {
                        ledger.decide(i, &ids[i], outcome, error.clone(), request_id.clone());
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
    ///
    /// With a journal, the call's ids are on disk before it is sent, and its outcome
    /// before this returns (so before its users are counted).
    async fn send(&self, call_no: u64, chunk: Vec<usize>, deadline: Option<Instant>) -> Sent {
        let batch: Vec<&str> = chunk.iter().map(|&i| self.ids[i].as_str()).collect();
        if let Some(j) = self.journal {
            let sent = Record::Sent {
                call: call_no,
                user_ids: batch.iter().map(|s| s.to_string()).collect(),
            };
            if let Err(e) = j.append(&sent, false).await {
                return Sent {
                    chunk,
                    called: Called {
                        result: Err(Error::Cancelled),
                        requests: 0,
                        maybe_acted: false,
                    },
                    journal: Journaled::NotSent(e),
                };
            }
        }
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
        let mut journal = Journaled::Fine;
        if let Some(j) = self.journal {
            let (outcome, error, request_id) = decision(&called);
            let rec = Record::Result {
                call: call_no,
                outcome: outcome.as_str().to_string(),
                request_id,
                error,
            };
            if let Err(e) = j.append(&rec, true).await {
                journal = Journaled::ResultLost(e);
            }
        }
        Sent {
            chunk,
            called,
            journal,
        }
    }
}

/// What a call's result means for each user it named: outcome, error, request id.
/// An answer lost after sending proves nothing either way: `unknown`, not `failed`.
/// (A failure the job then isolates by splitting is recorded for the call; the halves
/// get calls of their own.)
fn decision(
    called: &Called<ResignUserResponse>,
) -> (Outcome, Option<OutcomeError>, Option<String>) {
    match &called.result {
        Ok(resp) => (Outcome::Resigned, None, resp.request_id.clone()),
        Err(e) => {
            let oe = match e {
                // Only an abort produces `Cancelled` from a call (see `send`).
                Error::Cancelled => cut_by_abort(),
                _ => OutcomeError::from(e),
            };
            let outcome = if called.maybe_acted {
                Outcome::Unknown
            } else {
                Outcome::Failed
            };
            (outcome, Some(oe), e.request_id().map(str::to_string))
        }
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
