//! `--resume`: skip users an earlier report shows as resigned, then merge the new
//! run back into one report in input order, so a resumed report can be resumed again.

use std::collections::{HashMap, HashSet};

use authing_resign::{BulkReport, BulkTotals, Outcome, OutcomeError, UserIdType, UserOutcome};

use crate::exit::{usage, CliError};

/// The ids an earlier report resigned, with the request id that did it.
pub struct Done(HashMap<String, Option<String>>);

impl Done {
    /// Takes the `resigned` users of an earlier report of the same id type.
    pub fn from_report(earlier: &BulkReport, id_type: UserIdType) -> Result<Self, CliError> {
        if earlier.user_id_type != id_type {
            return Err(usage(format!(
                "--resume: the earlier report used --id-type {}, this run uses {id_type}",
                earlier.user_id_type
            )));
        }
        Ok(Self(
            earlier
                .users
                .iter()
                .filter(|u| u.outcome == Outcome::Resigned)
                .map(|u| (u.user_id.clone(), u.request_id.clone()))
                .collect(),
        ))
    }

    /// Nothing done yet (no `--resume`).
    pub fn none() -> Self {
        Self(HashMap::new())
    }

    /// The ids still to handle, in input order.
    pub fn remaining(&self, ids: &[String]) -> Vec<String> {
        ids.iter()
            .filter(|id| !self.0.contains_key(*id))
            .cloned()
            .collect()
    }

    /// How many input ids the earlier report already resigned.
    pub fn skipped(&self, ids: &[String]) -> usize {
        ids.iter().filter(|id| self.0.contains_key(*id)).count()
    }

    /// One report over all of `ids`: resumed users as `resigned` (first occurrence, with
    /// the earlier request id) or `duplicate` (repeats), the rest from `run`, which
    /// covered exactly `self.remaining(ids)`. The flags mark, per input index, the users
    /// resigned by the earlier run rather than by this one.
    pub fn merge(&self, ids: &[String], run: BulkReport) -> (BulkReport, Vec<bool>) {
        if self.0.is_empty() {
            let n = run.users.len();
            return (run, vec![false; n]);
        }
        let mut fresh = run.users.into_iter();
        let mut seen = HashSet::new();
        let mut earlier_run = vec![false; ids.len()];
        let users: Vec<UserOutcome> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| match self.0.get(id) {
                None => fresh.next().expect("the run covered every remaining id"),
                Some(rid) if seen.insert(id.as_str()) => {
                    earlier_run[i] = true;
                    UserOutcome::new(id, Outcome::Resigned, None, rid.clone())
                }
                Some(_) => UserOutcome::new(
                    id,
                    Outcome::Duplicate,
                    Some(OutcomeError::from(&authing_resign::Error::invalid(
                        authing_resign::Argument::UserIds,
                        Some(i),
                        "is an exact duplicate of an id the earlier report resigned",
                    ))),
                    None,
                ),
            })
            .collect();
        let report = BulkReport {
            totals: BulkTotals::of(&users),
            users,
            ..run
        };
        (report, earlier_run)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn merge_keeps_input_order_and_counts() {
        let earlier =
            authing_resign::bulk::plan(&s(&["a", "b"]), UserIdType::Username, 50).unwrap();
        let mut earlier = earlier;
        earlier.users[0].outcome = Outcome::Resigned;
        earlier.users[0].request_id = Some("r1".into());
        let done = Done::from_report(&earlier, UserIdType::Username).unwrap();
        let ids = s(&["x", "a", "b", "a"]);
        assert_eq!(done.remaining(&ids), s(&["x", "b"]));
        assert_eq!(done.skipped(&ids), 2);
        let run =
            authing_resign::bulk::plan(&done.remaining(&ids), UserIdType::Username, 50).unwrap();
        let (merged, earlier_run) = done.merge(&ids, run);
        assert_eq!(earlier_run, [false, true, false, false]);
        let got: Vec<(&str, Outcome)> = merged
            .users
            .iter()
            .map(|u| (u.user_id.as_str(), u.outcome))
            .collect();
        assert_eq!(
            got,
            vec![
                ("x", Outcome::NotAttempted),
                ("a", Outcome::Resigned),
                ("b", Outcome::NotAttempted),
                ("a", Outcome::Duplicate)
            ]
        );
        assert_eq!(merged.users[1].request_id.as_deref(), Some("r1"));
        assert_eq!(merged.totals.sum(), 4);
    }

    #[test]
    fn id_type_must_match() {
        let earlier = authing_resign::bulk::plan(&s(&["a"]), UserIdType::Username, 50).unwrap();
        assert!(Done::from_report(&earlier, UserIdType::Email).is_err());
    }
}
