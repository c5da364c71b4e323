//! The per-user record of a job, compact: one 20-byte slot per input id, with the
//! errors, request ids, statuses and notes the slots point at kept once each (a
//! call's 50 users share its request id and error). A million users take ~20 MB here
//! instead of ~250 MB as [`UserOutcome`]s; [`UserTable::get`] builds one on demand.

use std::collections::HashMap;

use crate::bulk::{BulkTotals, Outcome, OutcomeError, UserOutcome};

/// "No entry" in a slot's table references.
pub(crate) const NONE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Slot {
    /// `None` until decided.
    outcome: Option<Outcome>,
    verified: Option<bool>,
    earlier_run: bool,
    error: u32,
    request_id: u32,
    status: u32,
    note: u32,
}

const UNDECIDED: Slot = Slot {
    outcome: None,
    verified: None,
    earlier_run: false,
    error: NONE,
    request_id: NONE,
    status: NONE,
    note: NONE,
};

/// One slot per input id plus the shared entries they reference.
#[derive(Clone, Debug, Default)]
pub(crate) struct UserTable {
    slots: Vec<Slot>,
    errors: Vec<OutcomeError>,
    texts: Vec<String>,
    /// Statuses, notes and earlier runs' request ids, which repeat across users.
    interned: HashMap<String, u32>,
}

/// A borrowed view of one user's line: what [`UserOutcome`] holds, without copies.
/// Serializes exactly as [`UserOutcome`] does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct UserLine<'a> {
    /// The id as given.
    pub user_id: &'a str,
    /// What happened.
    pub outcome: Outcome,
    /// Why (see [`UserOutcome::error`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'a OutcomeError>,
    /// Request id of the call that decided the outcome, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<&'a str>,
    /// See [`UserOutcome::verified`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    /// See [`UserOutcome::status`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'a str>,
    /// See [`UserOutcome::verify_note`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_note: Option<&'a str>,
    /// See [`UserOutcome::earlier_run`].
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub earlier_run: bool,
}

impl UserLine<'_> {
    /// The owned line.
    pub fn to_outcome(&self) -> UserOutcome {
        UserOutcome {
            user_id: self.user_id.to_string(),
            outcome: self.outcome,
            error: self.error.cloned(),
            request_id: self.request_id.map(str::to_string),
            verified: self.verified,
            status: self.status.map(str::to_string),
            verify_note: self.verify_note.map(str::to_string),
            earlier_run: self.earlier_run,
        }
    }
}

fn index(len: usize) -> u32 {
    // A job's ids are held in memory; 2^32 of them would not fit.
    u32::try_from(len)
        .ok()
        .filter(|&i| i != NONE)
        .expect("fewer than 2^32 - 1 entries")
}

impl UserTable {
    /// `n` undecided users.
    pub(crate) fn new(n: usize) -> Self {
        Self {
            slots: vec![UNDECIDED; n],
            ..Self::default()
        }
    }

    /// The number of users.
    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    /// Keeps an error once; returns its reference.
    pub(crate) fn push_error(&mut self, e: OutcomeError) -> u32 {
        self.errors.push(e);
        index(self.errors.len() - 1)
    }

    /// Keeps a text once (a call's request id); returns its reference.
    pub(crate) fn push_text(&mut self, s: String) -> u32 {
        self.texts.push(s);
        index(self.texts.len() - 1)
    }

    /// A text that repeats across users (status, note), kept once.
    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.interned.get(s) {
            return i;
        }
        let i = self.push_text(s.to_string());
        self.interned.insert(s.to_string(), i);
        i
    }

    /// Decides user `i` (references from `push_error` / `push_text`, or [`NONE`]).
    pub(crate) fn decide(&mut self, i: usize, outcome: Outcome, error: u32, request_id: u32) {
        debug_assert!(self.slots[i].outcome.is_none(), "index {i} decided twice");
        self.slots[i] = Slot {
            outcome: Some(outcome),
            error,
            request_id,
            ..UNDECIDED
        };
    }

    /// Marks user `i`, decided `resigned`, as resigned by an earlier run.
    pub(crate) fn mark_earlier_run(&mut self, i: usize) {
        self.slots[i].earlier_run = true;
    }

    /// The counts of the decided slots.
    pub(crate) fn totals(&self) -> BulkTotals {
        let mut totals = BulkTotals::default();
        for o in (0..self.len()).filter_map(|i| self.outcome(i)) {
            totals.add(o);
        }
        totals
    }

    /// User `i`'s outcome, `None` while undecided.
    pub(crate) fn outcome(&self, i: usize) -> Option<Outcome> {
        self.slots[i].outcome
    }

    fn text(&self, r: u32) -> Option<&str> {
        (r != NONE).then(|| self.texts[r as usize].as_str())
    }

    /// User `i`'s line (`id` is its input id). Panics if `i` is undecided.
    pub(crate) fn line<'a>(&'a self, i: usize, id: &'a str) -> UserLine<'a> {
        let s = &self.slots[i];
        UserLine {
            user_id: id,
            outcome: s.outcome.expect("every slot decided"),
            error: (s.error != NONE).then(|| &self.errors[s.error as usize]),
            request_id: self.text(s.request_id),
            verified: s.verified,
            status: self.text(s.status),
            verify_note: self.text(s.note),
            earlier_run: s.earlier_run,
        }
    }

    /// Changes user `i`'s line through `f` (what `verify` settles); entries that did
    /// not change keep their references.
    pub(crate) fn update(&mut self, i: usize, id: &str, f: impl FnOnce(&mut UserOutcome)) {
        let before = self.line(i, id).to_outcome();
        let mut after = before.clone();
        f(&mut after);
        let error = match after.error {
            _ if after.error == before.error => self.slots[i].error,
            None => NONE,
            Some(e) => self.push_error(e),
        };
        let status = after.status.as_deref().map_or(NONE, |s| self.intern(s));
        let note = after
            .verify_note
            .as_deref()
            .map_or(NONE, |s| self.intern(s));
        let s = &mut self.slots[i];
        s.outcome = Some(after.outcome);
        s.error = error;
        s.verified = after.verified;
        s.status = status;
        s.note = note;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_stay_small() {
        assert!(
            std::mem::size_of::<Slot>() <= 20,
            "{}",
            std::mem::size_of::<Slot>()
        );
    }

    #[test]
    fn lines_round_trip_through_the_table() {
        let mut t = UserTable::new(3);
        let e = t.push_error(OutcomeError {
            code: "api_error".into(),
            message: "no".into(),
            status_code: Some(400),
            api_code: None,
            retryable: false,
            auth: false,
        });
        let r = t.push_text("req-1".into());
        t.decide(0, Outcome::Resigned, NONE, r);
        t.decide(1, Outcome::Failed, e, r);
        t.decide(2, Outcome::Resigned, NONE, NONE);
        t.mark_earlier_run(2);
        let a = t.line(0, "a").to_outcome();
        assert_eq!(
            a,
            UserOutcome::new("a", Outcome::Resigned, None, Some("req-1".into()))
        );
        let b = t.line(1, "b");
        assert_eq!(b.error.unwrap().status_code, Some(400));
        assert!(t.line(2, "c").earlier_run);
        // Serialized like UserOutcome, field for field.
        for (i, id) in ["a", "b", "c"].into_iter().enumerate() {
            let line = t.line(i, id);
            assert_eq!(
                serde_json::to_string(&line).unwrap(),
                serde_json::to_string(&line.to_outcome()).unwrap()
            );
        }
        t.update(1, "b", |l| {
            l.verified = Some(true);
            l.status = Some("Activated".into());
        });
        let b = t.line(1, "b");
        assert_eq!((b.verified, b.status), (Some(true), Some("Activated")));
        assert_eq!(t.errors.len(), 1, "an unchanged error is not copied");
    }
}
