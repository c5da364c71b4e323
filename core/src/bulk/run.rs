//! Running a plan: bounded concurrency, splitting of rejected chunks, early stop,
//! cancellation, abort and the job deadline.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;

use futures_util::stream::{FuturesUnordered, StreamExt};
use futures_util::FutureExt;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::bulk::journal::write::JournalWriter;
use crate::bulk::journal::{write_sent_line, Record};
use crate::bulk::ledger::Ledger;
use crate::bulk::plan::Plan;
use crate::bulk::triage::{Triage, Verdict};
use crate::bulk::{BulkOptions, Outcome, OutcomeError};
use crate::client::ClientState;
use crate::error::{Error, Result, TimeoutPhase};
use crate::request::UserIdType;
use crate::response::ResignUserResponse;
use crate::transport::Called;

/// What one call came back with: its number, the chunk it named, and its result (with
/// the number of HTTP requests it made).
struct Sent {
    call_no: u64,
    chunk: Queued,
    called: Called<ResignUserResponse>,
}

/// A chunk to send: input indexes, and, for a half of a split call that may have been
/// acted on (its answer lost before a refusal), that call's error and request id. The
/// server may have resigned those users already, so they stay `unknown` unless a call
/// of theirs succeeds: when the half is refused too (as a refused retry leaves a call
/// `unknown`, see `transport`) and when the job stops before sending it — not `failed`,
/// not `not_attempted`, which would claim less than the server may have done.
struct Queued {
    indexes: Vec<usize>,
    maybe_acted: Option<(Option<OutcomeError>, Option<String>)>,
}

/// What a call decided for its users, to be counted once its `result` record is on
/// disk. `count` is false for a call whose chunk is split: its halves decide.
struct Decided {
    call_no: u64,
    chunk: Vec<usize>,
    outcome: Outcome,
    error: Option<OutcomeError>,
    request_id: Option<String>,
    count: bool,
}

type Pending<'a, T> = FuturesUnordered<Pin<Box<dyn Future<Output = T> + Send + 'a>>>;

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
    ///
    /// With a journal, each turn of the loop writes, in one `write`, the `result` lines
    /// of the calls that just finished and the `sent` lines of the calls about to start,
    /// before they start; a call's users are counted only once its `result` is synced
    /// (see `journal::write`). The sync does not hold a concurrency slot, so the next
    /// chunk is sent while it runs (the job's control flow — splitting, stopping — is
    /// decided as soon as the answer is in, exactly as without a journal).
    pub(crate) async fn execute(
        &self,
        plan: Plan,
        started: Instant,
    ) -> (Ledger, Option<OutcomeError>, u64) {
        let mut ledger = Ledger::new(plan.table);
        let mut queue: VecDeque<Queued> = plan
            .chunks
            .into_iter()
            .map(|indexes| Queued {
                indexes,
                maybe_acted: None,
            })
            .collect();
        let mut in_flight: Pending<'_, Sent> = FuturesUnordered::new();
        // Journal lines not yet written, and the calls whose `result` lines they hold.
        let mut lines: Vec<u8> = Vec::new();
        let mut unwritten: Vec<Decided> = Vec::new();
        // Calls whose `result` is written, each with the number of written results to
        // wait for before it counts (in the order written).
        let mut unsynced: VecDeque<(u64, Decided)> = VecDeque::new();
        let mut call_no = 0u64;
        // `validate` caps the deadline far below overflow; checked anyway so that no
        // option value can ever panic here.
        let deadline = self.options.deadline.and_then(|d| started.checked_add(d));
        let mut stop: Option<OutcomeError> = None;
        let mut triage = Triage::default();
        let mut http_calls = 0u64;

        loop {
            let mut starting = Vec::new();
            while stop.is_none()
                && in_flight.len() + starting.len() < self.options.concurrency
                && !queue.is_empty()
            {
                if let Some(reason) = self.stop_reason(deadline) {
                    stop = Some(reason);
                } else if let Some(chunk) = queue.pop_front() {
                    call_no += 1;
                    let batch: Vec<&str> = chunk
                        .indexes
                        .iter()
                        .map(|&i| self.ids[i].as_str())
                        .collect();
                    starting.push((call_no, chunk, batch));
                }
            }
            if let Some(j) = self.journal {
                for (no, _, batch) in &starting {
                    write_sent_line(&mut lines, *no, batch);
                }
                if !lines.is_empty() {
                    let written = j.write(&lines);
                    lines.clear();
                    match written {
                        Ok(()) if !unwritten.is_empty() => {
                            // Nothing in flight or about to start: no later result
                            // would share their sync.
                            let last = in_flight.is_empty() && starting.is_empty();
                            let through = j.wrote_results(unwritten.len() as u64, last);
                            unsynced.extend(unwritten.drain(..).map(|d| (through, d)));
                        }
                        Ok(()) => {}
                        Err(e) => {
                            // The calls about to start are not made: their chunks go
                            // back to the queue, left unsent (see the end). The calls
                            // that finished were made but their outcomes could not be
                            // recorded: their users are reported as the server
                            // answered. The job stops, since nothing more it does could
                            // be recorded.
                            stop.get_or_insert_with(|| OutcomeError::from(&e));
                            for (_, chunk, _) in starting.drain(..).rev() {
                                queue.push_front(chunk);
                            }
                            for d in unwritten.drain(..) {
                                count(&mut ledger, &d, self.options);
                            }
                        }
                    }
                }
            }
            for (no, chunk, batch) in starting {
                in_flight.push(Box::pin(self.send(no, chunk, batch, deadline)));
            }
            if in_flight.is_empty() && unsynced.is_empty() {
                break;
            }
            let first_unsynced = unsynced.front().map(|(through, _)| *through);
            tokio::select! {
                Some(sent) = in_flight.next(), if !in_flight.is_empty() => {
                    // Every other answer already in is taken in the same turn, so their
                    // `result` lines and the `sent` lines of the calls replacing them go
                    // out in one `write` when answers come faster than the loop turns.
                    let mut next = Some(sent);
                    while let Some(sent) = next {
                        http_calls += u64::from(sent.called.requests);
                        let d = self.control(sent, &mut triage, &mut stop, &mut queue);
                        if self.journal.is_some() {
                            result_record(&d).write_line(&mut lines);
                            unwritten.push(d);
                        } else {
                            count(&mut ledger, &d, self.options);
                        }
                        // Polled without a waker: the `select!` polls again with one
                        // before the loop waits, and a task woken meanwhile stays queued.
                        next = in_flight.next().now_or_never().flatten();
                    }
                }
                synced = synced(self.journal, first_unsynced), if first_unsynced.is_some() => {
                    let synced = synced.unwrap_or_else(|e| {
                        // The calls were made but their outcomes may not be on disk:
                        // their users are reported as the server answered, and the job
                        // stops, since nothing more it does could be recorded.
                        stop.get_or_insert_with(|| OutcomeError::from(&e));
                        u64::MAX
                    });
                    while unsynced.front().is_some_and(|(t, _)| *t <= synced) {
                        if let Some((_, d)) = unsynced.pop_front() {
                            count(&mut ledger, &d, self.options);
                        }
                    }
                }
            }
        }
        // Chunks never sent: their users stay undecided (`not_attempted`), unless a call
        // naming them may have been acted on.
        for q in queue {
            if let Some((error, request_id)) = q.maybe_acted {
                let (error, request_id) = (error.as_ref(), request_id.as_deref());
                ledger.decide_all(&q.indexes, Outcome::Unknown, error, request_id);
            }
        }
        (ledger, stop, http_calls)
    }

    /// What a call's answer means for the job: notes a success, splits a chunk that
    /// could hold one bad id (its halves go first in the queue, so a split chunk
    /// finishes before new ones start) and stops the job when later calls would fail
    /// the same way. Returns what the call decided for its users.
    fn control(
        &self,
        mut sent: Sent,
        triage: &mut Triage,
        stop: &mut Option<OutcomeError>,
        queue: &mut VecDeque<Queued>,
    ) -> Decided {
        // A half of a call that may have been acted on: so may this one (see `Queued`).
        sent.called.maybe_acted |= sent.chunk.maybe_acted.is_some();
        let (outcome, error, request_id) = decision(&sent.called);
        let chunk = sent.chunk.indexes;
        let mut count = true;
        match &sent.called.result {
            Ok(_) => triage.succeeded(),
            Err(e) => {
                let verdict = triage.judge(e, chunk.len());
                // Once the job stops, halves would never be sent: the users of this
                // call are reported with its failure instead of `not_attempted`.
                if verdict == Verdict::Split && stop.is_none() {
                    let (a, b) = chunk.split_at(chunk.len().div_ceil(2));
                    let maybe_acted =
                        (outcome == Outcome::Unknown).then(|| (error.clone(), request_id.clone()));
                    for half in [b, a] {
                        queue.push_front(Queued {
                            indexes: half.to_vec(),
                            maybe_acted: maybe_acted.clone(),
                        });
                    }
                    count = false;
                } else if verdict == Verdict::Stop && stop.is_none() {
                    stop.clone_from(&error);
                }
            }
        }
        Decided {
            call_no: sent.call_no,
            chunk,
            outcome,
            error,
            request_id,
            count,
        }
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

    /// Sends one chunk (`batch`: its ids). The job deadline and an abort cut the call: its users are then
    /// `unknown` (with a job timeout or `cancelled`), since the server may or may not
    /// have acted on it. A cut call's request count is lost with it; at least one
    /// request was started.
    ///
    /// With a journal, the loop has written the call's `sent` record already.
    async fn send(
        &self,
        call_no: u64,
        chunk: Queued,
        batch: Vec<&str>,
        deadline: Option<Instant>,
    ) -> Sent {
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
        Sent {
            call_no,
            chunk,
            called,
        }
    }
}

/// A call's `result` record.
fn result_record(d: &Decided) -> Record {
    Record::Result {
        call: d.call_no,
        outcome: d.outcome.as_str().to_string(),
        request_id: d.request_id.clone(),
        error: d.error.clone(),
    }
}

/// How many results of `journal` are on disk, once at least `through` are.
async fn synced(journal: Option<&JournalWriter>, through: Option<u64>) -> Result<u64> {
    match (journal, through) {
        (Some(j), Some(through)) => j.synced(through).await,
        // Not polled: the branch runs only with results waiting, which needs a journal.
        _ => std::future::pending().await,
    }
}

/// Counts what a call decided (unless its chunk was split) and reports progress.
fn count(ledger: &mut Ledger, d: &Decided, options: &BulkOptions) {
    if !d.count {
        return;
    }
    ledger.decide_all(
        &d.chunk,
        d.outcome,
        d.error.as_ref(),
        d.request_id.as_deref(),
    );
    ledger.report_progress(options.on_progress.as_ref());
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
