//! The plan of a bulk job: local validation, duplicate detection, users an earlier
//! run resigned, and chunking. Pure (no I/O), so a dry run and the real run share
//! exactly the same decisions, and indexes in messages are the caller's input indexes
//! even when a job resumes.

use std::collections::HashMap;

use crate::bulk::{Outcome, OutcomeError, UserOutcome};
use crate::error::{Argument, Error};
use crate::request::{validate_user_id, UserIdType};

/// What a job will do before it sends anything.
#[derive(Debug)]
pub(crate) struct Plan {
    /// One slot per input id: already decided (`invalid`, `duplicate`) or `None` (to send).
    pub(crate) decided: Vec<Option<UserOutcome>>,
    /// Input indexes to send, grouped in chunks, in input order.
    pub(crate) chunks: Vec<Vec<usize>>,
}

impl Plan {
    /// Validates every id, marks exact repeats of an earlier valid id as duplicates
    /// and chunks the rest. `chunk_size` must already be checked (1..=50).
    pub(crate) fn new(ids: &[String], id_type: UserIdType, chunk_size: usize) -> Self {
        Self::resuming(ids, id_type, chunk_size, &HashMap::new())
    }

    /// [`Plan::new`], except that the first occurrence of an id in `earlier` (ids an
    /// earlier run resigned, with its request id) is decided `resigned` (`earlier_run`)
    /// instead of being sent.
    pub(crate) fn resuming(
        ids: &[String],
        id_type: UserIdType,
        chunk_size: usize,
        earlier: &HashMap<String, Option<String>>,
    ) -> Self {
        let mut decided = Vec::with_capacity(ids.len());
        let mut first_seen: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
        let mut to_send = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            // Validation comes first: a repeated invalid id is invalid every time, and a
            // duplicate always points at an id that will really be sent.
            if let Err(e) = validate_user_id(id, id_type, Argument::UserIds, Some(i)) {
                decided.push(Some(local(id, Outcome::Invalid, &e)));
                continue;
            }
            match first_seen.get(id.as_str()) {
                Some(&first) => {
                    let e = Error::invalid(
                        Argument::UserIds,
                        Some(i),
                        format!("is an exact duplicate of userIds[{first}]; it is sent once"),
                    );
                    decided.push(Some(local(id, Outcome::Duplicate, &e)));
                }
                None => {
                    first_seen.insert(id, i);
                    match earlier.get(id.as_str()) {
                        Some(request_id) => decided.push(Some(UserOutcome {
                            earlier_run: true,
                            ..UserOutcome::new(id, Outcome::Resigned, None, request_id.clone())
                        })),
                        None => {
                            to_send.push(i);
                            decided.push(None);
                        }
                    }
                }
            }
        }
        let chunks = to_send.chunks(chunk_size).map(<[usize]>::to_vec).collect();
        Self { decided, chunks }
    }

    /// The chunks as the ids they hold (what the report shows).
    pub(crate) fn chunk_ids(&self, ids: &[String]) -> Vec<Vec<String>> {
        self.chunks
            .iter()
            .map(|c| c.iter().map(|&i| ids[i].clone()).collect())
            .collect()
    }
}

fn local(id: &str, outcome: Outcome, e: &Error) -> UserOutcome {
    UserOutcome::new(id, outcome, Some(OutcomeError::from(e)), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn emails(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("u{i}@example.com")).collect()
    }

    #[test]
    fn chunk_boundaries() {
        for (n, size, expect) in [
            (0, 50, vec![]),
            (1, 50, vec![1]),
            (50, 50, vec![50]),
            (51, 50, vec![50, 1]),
            (100, 50, vec![50, 50]),
            (1001, 50, [vec![50; 20], vec![1]].concat()),
            (7, 3, vec![3, 3, 1]),
            (5, 1, vec![1; 5]),
        ] {
            let plan = Plan::new(&emails(n), UserIdType::Email, size);
            let sizes: Vec<usize> = plan.chunks.iter().map(Vec::len).collect();
            assert_eq!(sizes, expect, "{n} ids in chunks of {size}");
            let flat: Vec<usize> = plan.chunks.concat();
            assert_eq!(flat, (0..n).collect::<Vec<_>>(), "input order is kept");
        }
    }

    #[test]
    fn duplicates_point_to_first_occurrence() {
        let plan = Plan::new(&ids(&["a", "b", "a", "a", "c"]), UserIdType::Username, 50);
        assert_eq!(plan.chunks, vec![vec![0, 1, 4]]);
        for i in [2, 3] {
            let o = plan.decided[i].as_ref().unwrap();
            assert_eq!(o.outcome, Outcome::Duplicate);
            let e = o.error.as_ref().unwrap();
            assert_eq!(e.code, "invalid_argument");
            assert!(
                e.message.contains(&format!("userIds[{i}]")),
                "{}",
                e.message
            );
            assert!(
                e.message.contains("duplicate of userIds[0]"),
                "{}",
                e.message
            );
        }
    }

    #[test]
    fn duplicates_are_exact_not_case_folded() {
        let plan = Plan::new(&ids(&["A@x.io", "a@x.io"]), UserIdType::Email, 50);
        assert_eq!(plan.chunks, vec![vec![0, 1]]);
    }

    #[test]
    fn invalid_ids_are_never_chunked_even_when_repeated() {
        let plan = Plan::new(
            &ids(&["", "ok", " ok", "", "bad\u{7}"]),
            UserIdType::Username,
            50,
        );
        assert_eq!(plan.chunks, vec![vec![1]]);
        for i in [0, 2, 3, 4] {
            let o = plan.decided[i].as_ref().unwrap();
            assert_eq!(o.outcome, Outcome::Invalid, "index {i}");
            assert!(o
                .error
                .as_ref()
                .unwrap()
                .message
                .contains(&format!("userIds[{i}]")));
        }
    }

    #[test]
    fn identity_shape_is_checked() {
        let plan = Plan::new(
            &ids(&["idp:u1", "nocolon", ":u2", "idp:"]),
            UserIdType::Identity,
            50,
        );
        assert_eq!(plan.chunks, vec![vec![0]]);
        let msg = &plan.decided[1]
            .as_ref()
            .unwrap()
            .error
            .as_ref()
            .unwrap()
            .message;
        assert!(msg.contains("<extIdpId>:<userIdInIdp>"), "{msg}");
    }

    #[test]
    fn resumed_users_keep_input_indexes() {
        let v = ids(&["a", "bad\u{7}", "b", "a", "c"]);
        let earlier = HashMap::from([("a".to_string(), Some("r1".to_string()))]);
        let plan = Plan::resuming(&v, UserIdType::Username, 50, &earlier);
        assert_eq!(plan.chunks, vec![vec![2, 4]]);
        let a = plan.decided[0].as_ref().unwrap();
        assert!(a.earlier_run && a.outcome == Outcome::Resigned);
        assert_eq!(a.request_id.as_deref(), Some("r1"));
        let msg = |i: usize| {
            plan.decided[i]
                .as_ref()
                .unwrap()
                .error
                .clone()
                .unwrap()
                .message
        };
        assert!(msg(1).contains("userIds[1]"), "{}", msg(1));
        assert!(msg(3).contains("userIds[3]") && msg(3).contains("userIds[0]"));
    }

    #[test]
    fn chunk_ids_follow_chunks() {
        let v = ids(&["a", "b", "c"]);
        let plan = Plan::new(&v, UserIdType::Username, 2);
        assert_eq!(plan.chunk_ids(&v), vec![ids(&["a", "b"]), ids(&["c"])]);
    }
}
