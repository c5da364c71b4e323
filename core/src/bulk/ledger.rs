//! The ledger of a running job: one compact slot per input id ([`UserTable`]), filled
//! as calls come back, with running totals so progress events never recount the
//! whole list.

use crate::bulk::table::{UserTable, NONE};
use crate::bulk::{BulkProgressEvent, BulkTotals, Outcome, OutcomeError, ProgressCallback};

pub(crate) struct Ledger {
    table: UserTable,
    totals: BulkTotals,
    done: u64,
    /// Whether a progress event was sent since the last change.
    reported: bool,
}

impl Ledger {
    /// Starts from the plan's table, whose already-decided slots (invalid, duplicate
    /// and resumed ids) are counted.
    pub(crate) fn new(table: UserTable) -> Self {
        let totals = table.totals();
        let done = totals.sum();
        Self {
            table,
            totals,
            done,
            reported: false,
        }
    }

    /// Records one call's outcome for the input indexes it named: its error and
    /// request id are kept once for all of them.
    pub(crate) fn decide_all(
        &mut self,
        indexes: &[usize],
        outcome: Outcome,
        error: Option<&OutcomeError>,
        request_id: Option<&str>,
    ) {
        let error = error.map_or(NONE, |e| self.table.push_error(e.clone()));
        let request_id = request_id.map_or(NONE, |r| self.table.push_text(r.to_string()));
        for &i in indexes {
            self.table.decide(i, outcome, error, request_id);
            self.totals.add(outcome);
        }
        self.done += indexes.len() as u64;
        self.reported = false;
    }

    /// Calls the progress callback, if any, with the counts so far.
    pub(crate) fn report_progress(&mut self, on_progress: Option<&ProgressCallback>) {
        self.reported = true;
        if let Some(cb) = on_progress {
            cb(&BulkProgressEvent {
                done: self.done,
                total: self.table.len() as u64,
                totals: self.totals.clone(),
            });
        }
    }

    /// Marks every undecided id `not_attempted` (with the reason the job stopped, if
    /// any), sends a last progress event when the counts changed since the previous
    /// one (so a progress bar always ends at `total`), and returns the table and totals.
    pub(crate) fn finish(
        mut self,
        reason: Option<&OutcomeError>,
        on_progress: Option<&ProgressCallback>,
    ) -> (UserTable, BulkTotals) {
        let undecided: Vec<usize> = (0..self.table.len())
            .filter(|&i| self.table.outcome(i).is_none())
            .collect();
        if !undecided.is_empty() {
            self.decide_all(&undecided, Outcome::NotAttempted, reason, None);
        }
        if !self.reported {
            self.report_progress(on_progress);
        }
        (self.table, self.totals)
    }
}
