//! The plan of a bulk job: local validation, duplicate detection, users an earlier
//! run resigned, and chunking. Pure (no I/O), so a dry run and the real run share
//! exactly the same decisions, and indexes in messages are the caller's input indexes
//! even when a job resumes.

use std::collections::HashMap;

use crate::bulk::earlier::Resigned;
use crate::bulk::table::{UserTable, NONE};
use crate::bulk::{Outcome, OutcomeError};
use crate::error::{Argument, Error};
use crate::request::{validate_user_id, UserIdType};

/// What a job will do before it sends anything.
#[derive(Debug)]
pub(crate) struct Plan {
    /// One slot per input id: already decided (`invalid`, `duplicate`, resumed) or
    /// undecided (to send).
    pub(crate) table: UserTable,
    /// Input indexes to send, grouped in chunks, in input order.
    pub(crate) chunks: Vec<Vec<usize>>,
}

impl Plan {
    /// Validates every id, marks exact repeats of an earlier valid id as duplicates
    /// and chunks the rest. `chunk_size` must already be checked (1..=50).
    pub(crate) fn new(ids: &[String], id_type: UserIdType, chunk_size: usize) -> Self {
        Self::resuming(ids, id_type, chunk_size, None)
    }

    /// [`Plan::new`], except that the first occurrence of an id in `earlier` (ids an
    /// earlier run resigned, with its request id) is decided `resigned` (`earlier_run`)
    /// instead of being sent.
    pub(crate) fn resuming(
        ids: &[String],
        id_type: UserIdType,
        chunk_size: usize,
        earlier: Option<&Resigned>,
    ) -> Self {
        let mut table = UserTable::new(ids.len());
        let mut first_seen: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
        let mut to_send = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            // Validation comes first: a repeated invalid id is invalid every time, and a
            // duplicate always points at an id that will really be sent.
            if let Err(e) = validate_user_id(id, id_type, Argument::UserIds, Some(i)) {
                let e = table.push_error(OutcomeError::from(&e));
                table.decide(i, Outcome::Invalid, e, NONE);
                continue;
            }
            match first_seen.get(id.as_str()) {
                Some(&first) => {
                    let e = Error::invalid(
                        Argument::UserIds,
                        Some(i),
                        format!("is an exact duplicate of userIds[{first}]; it is sent once"),
                    );
                    let e = table.push_error(OutcomeError::from(&e));
                    table.decide(i, Outcome::Duplicate, e, NONE);
                }
                None => {
                    first_seen.insert(id, i);
                    match earlier.and_then(|e| e.get(id)) {
                        Some(request_id) => {
                            let r = request_id.map_or(NONE, |r| table.intern(r));
                            table.decide(i, Outcome::Resigned, NONE, r);
                            table.mark_earlier_run(i);
                        }
                        None => to_send.push(i),
                    }
                }
            }
        }
        let chunks = to_send.chunks(chunk_size).map(<[usize]>::to_vec).collect();
        Self { table, chunks }
    }
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

    /// Input index `i`'s decided line.
    fn line(plan: &Plan, v: &[String], i: usize) -> crate::bulk::UserOutcome {
        plan.table.line(i, &v[i]).to_outcome()
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
        let v = ids(&["a", "b", "a", "a", "c"]);
        let plan = Plan::new(&v, UserIdType::Username, 50);
        assert_eq!(plan.chunks, vec![vec![0, 1, 4]]);
        for i in [2, 3] {
            let o = line(&plan, &v, i);
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
        let v = ids(&["", "ok", " ok", "", "bad\u{7}"]);
        let plan = Plan::new(&v, UserIdType::Username, 50);
        assert_eq!(plan.chunks, vec![vec![1]]);
        for i in [0, 2, 3, 4] {
            let o = line(&plan, &v, i);
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
        let v = ids(&["idp:u1", "nocolon", ":u2", "idp:"]);
        let plan = Plan::new(&v, UserIdType::Identity, 50);
        assert_eq!(plan.chunks, vec![vec![0]]);
        let msg = &line(&plan, &v, 1).error.unwrap().message;
        assert!(msg.contains("<extIdpId>:<userIdInIdp>"), "{msg}");
    }

    #[test]
    fn resumed_users_keep_input_indexes() {
        let v = ids(&["a", "bad\u{7}", "b", "a", "c"]);
        let mut earlier = Resigned::default();
        // Ids not in the job ("z") change nothing.
        earlier.push("z", Some("r0")).unwrap();
        earlier.push("a", Some("r1")).unwrap();
        let plan = Plan::resuming(&v, UserIdType::Username, 50, Some(&earlier.seal()));
        assert_eq!(plan.chunks, vec![vec![2, 4]]);
        let a = line(&plan, &v, 0);
        assert!(a.earlier_run && a.outcome == Outcome::Resigned);
        assert_eq!(a.request_id.as_deref(), Some("r1"));
        let msg = |i: usize| line(&plan, &v, i).error.unwrap().message;
        assert!(msg(1).contains("userIds[1]"), "{}", msg(1));
        assert!(msg(3).contains("userIds[3]") && msg(3).contains("userIds[0]"));
    }
}
