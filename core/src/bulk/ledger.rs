//! The ledger of a running job: one slot per input id, filled as calls come back,
//! with running totals so progress events never recount the whole list.

use crate::bulk::{
    BulkProgressEvent, BulkTotals, Outcome, OutcomeError, ProgressCallback, UserOutcome,
};

pub(crate) struct Ledger {
    slots: Vec<Option<UserOutcome>>,
    totals: BulkTotals,
    done: u64,
    /// Whether a progress event was sent since the last change.
    reported: bool,
}

impl Ledger {
    /// Starts from the plan's already-decided slots (invalid and duplicate ids).
    pub(crate) fn new(slots: Vec<Option<UserOutcome>>) -> Self {
        let mut totals = BulkTotals::default();
        for o in slots.iter().flatten() {
            totals.add(o.outcome);
        }
        let done = totals.sum();
        Self {
            slots,
            totals,
            done,
            reported: false,
        }
    }

    /// Records the outcome of input index `i`.
    pub(crate) fn decide(
        &mut self,
        i: usize,
        id: &str,
        outcome: Outcome,
        error: Option<OutcomeError>,
        request_id: Option<String>,
    ) {
        debug_assert!(self.slots[i].is_none(), "index {i} decided twice");
        self.slots[i] = Some(UserOutcome::new(id, outcome, error, request_id));
        self.totals.add(outcome);
        self.done += 1;
        self.reported = false;
    }

    /// Calls the progress callback, if any, with the counts so far.
    pub(crate) fn report_progress(&mut self, on_progress: Option<&ProgressCallback>) {
        self.reported = true;
        if let Some(cb) = on_progress {
            cb(&BulkProgressEvent {
                done: self.done,
                total: self.slots.len() as u64,
                totals: self.totals.clone(),
            });
        }
    }

    /// Marks every undecided id `not_attempted` (with the reason the job stopped, if
    /// any), sends a last progress event when the counts changed since the previous
    /// one (so a progress bar always ends at `total`), and returns the per-user list
    /// and totals.
    pub(crate) fn finish(
        mut self,
        ids: &[String],
        reason: Option<&OutcomeError>,
        on_progress: Option<&ProgressCallback>,
    ) -> (Vec<UserOutcome>, BulkTotals) {
        let undecided: Vec<usize> = (0..self.slots.len())
            .filter(|&i| self.slots[i].is_none())
            .collect();
        for i in undecided {
            self.decide(i, &ids[i], Outcome::NotAttempted, reason.cloned(), None);
        }
        if !self.reported {
            self.report_progress(on_progress);
        }
        let users = self
            .slots
            .into_iter()
            .map(|s| s.expect("every slot decided"))
            .collect();
        (users, self.totals)
    }
}
