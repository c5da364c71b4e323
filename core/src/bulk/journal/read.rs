//! Reading a journal: a pure function over its bytes (no I/O), so it is unit-tested
//! and fuzzed on its own.

use std::collections::HashMap;
use std::fmt;

use crate::bulk::journal::{JournalHeader, Record, JOURNAL_FORMAT, JOURNAL_VERSION};
use crate::bulk::{BulkTotals, Outcome, OutcomeError};

/// What a journal says about one user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserState {
    /// Named in a call the server answered with success (in this run or, when
    /// `earlier_run`, in a run this one resumed). Never sent again on resume.
    Resigned {
        /// The request id of that call, if known.
        request_id: Option<String>,
        /// Carried from a run this journal's run resumed.
        earlier_run: bool,
    },
    /// In a call whose outcome was never recorded: the run died (or its journal
    /// failed) while the call was in flight. The server may have acted; sent again on
    /// resume (re-resigning succeeds).
    InFlight,
    /// The last recorded outcome of a call naming the user, other than `resigned`
    /// (`failed`, `unknown`, or an outcome of a newer version). Sent again on resume.
    Settled {
        /// The outcome name.
        outcome: String,
        /// The request id of that call, if any.
        request_id: Option<String>,
        /// Why.
        error: Option<OutcomeError>,
    },
}

/// Everything a journal records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JournalState {
    /// The first header; `None` when the file holds no complete line (the job died
    /// before its first record was on disk, so it sent nothing).
    pub header: Option<JournalHeader>,
    /// Runs recorded (headers read).
    pub runs: usize,
    /// Every user named by a record, in the order first named, with its state.
    pub users: Vec<(String, UserState)>,
    /// The totals of the `end` record of the last run, if it finished.
    pub finished: Option<BulkTotals>,
    /// Bytes of complete lines; a job continuing the journal truncates the file to
    /// this length first, so a torn line never sits in the middle.
    pub valid_len: usize,
    /// Whether an incomplete last line was ignored.
    pub torn_tail: bool,
}

impl JournalState {
    /// The users recorded as resigned, with their request ids.
    pub fn resigned(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.users.iter().filter_map(|(id, s)| match s {
            UserState::Resigned { request_id, .. } => Some((id.as_str(), request_id.as_deref())),
            _ => None,
        })
    }

    /// The users whose call was sent but has no recorded result: in flight when the
    /// journal ends (a resumed job sends them again).
    pub fn in_flight(&self) -> impl Iterator<Item = &str> {
        self.users
            .iter()
            .filter(|(_, s)| *s == UserState::InFlight)
            .map(|(id, _)| id.as_str())
    }
}

/// Why a journal could not be read: the line (1-based) and the rule it broke.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    /// The line.
    pub line: usize,
    /// The rule.
    pub reason: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for ReadError {}

/// Reads a journal. Only complete lines count: an unterminated last line (a write
/// cut by a crash) is ignored, which can only make a resumed job send a user again,
/// never skip one. A complete line that is not a record, a second header that
/// disagrees with the first, a result for a call never sent or a version newer than
/// [`JOURNAL_VERSION`] is an error naming the line.
pub fn read(bytes: &[u8]) -> Result<JournalState, ReadError> {
    let mut st = JournalState::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    // Call numbers restart with each run: ids of the calls of the current run.
    let mut calls: HashMap<u64, Vec<String>> = HashMap::new();
    let mut pos = 0;
    let mut line_no = 0;
    while pos < bytes.len() {
        let Some(len) = bytes[pos..].iter().position(|&b| b == b'\n') else {
            st.torn_tail = true;
            break;
        };
        line_no += 1;
        let line = &bytes[pos..pos + len];
        pos += len + 1;
        let err = |reason: String| ReadError {
            line: line_no,
            reason,
        };
        let rec: Record =
            serde_json::from_slice(line).map_err(|e| err(format!("not a journal record ({e})")))?;
        if st.header.is_none() && !matches!(rec, Record::Header(_)) {
            return Err(err("the first line must be the journal header".into()));
        }
        match rec {
            Record::Header(h) => {
                check_header(&h, st.header.as_ref()).map_err(err)?;
                st.header.get_or_insert(h);
                st.runs += 1;
                st.finished = None;
                calls.clear();
            }
            Record::Earlier { users } => {
                for u in users {
                    let state = UserState::Resigned {
                        request_id: u.request_id,
                        earlier_run: true,
                    };
                    set(&mut st.users, &mut index, u.user_id, state);
                }
            }
            Record::Sent { call, user_ids } => {
                for id in &user_ids {
                    set(&mut st.users, &mut index, id.clone(), UserState::InFlight);
                }
                if calls.insert(call, user_ids).is_some() {
                    return Err(err(format!("call {call} is sent twice")));
                }
            }
            Record::Result {
                call,
                outcome,
                request_id,
                error,
            } => {
                let ids = calls
                    .remove(&call)
                    .ok_or_else(|| err(format!("a result for call {call}, never sent")))?;
                for id in ids {
                    let state = if outcome == Outcome::Resigned.as_str() {
                        UserState::Resigned {
                            request_id: request_id.clone(),
                            earlier_run: false,
                        }
                    } else {
                        UserState::Settled {
                            outcome: outcome.clone(),
                            request_id: request_id.clone(),
                            error: error.clone(),
                        }
                    };
                    set(&mut st.users, &mut index, id, state);
                }
            }
            Record::End { totals, .. } => st.finished = Some(totals),
        }
        st.valid_len = pos;
    }
    Ok(st)
}

/// A header of this format and version, agreeing with the journal's first header.
fn check_header(h: &JournalHeader, first: Option<&JournalHeader>) -> Result<(), String> {
    if h.format != JOURNAL_FORMAT {
        return Err(format!("format is {:?}, not {JOURNAL_FORMAT:?}", h.format));
    }
    if h.version == 0 || h.version > JOURNAL_VERSION {
        return Err(format!(
            "version {} (this version reads 1..={JOURNAL_VERSION})",
            h.version
        ));
    }
    match first {
        Some(f) if f.place != h.place || f.user_id_type != h.user_id_type => Err(
            "a run appended for another host, access key id, tenant or id type than the first"
                .into(),
        ),
        _ => Ok(()),
    }
}

/// Records `state` for `id`; a user once resigned stays resigned (the server
/// confirmed it; a later failure of the same id cannot undo a resignation).
fn set(
    users: &mut Vec<(String, UserState)>,
    index: &mut HashMap<String, usize>,
    id: String,
    state: UserState,
) {
    match index.get(&id) {
        Some(&i) => {
            if !matches!(users[i].1, UserState::Resigned { .. }) {
                users[i].1 = state;
            }
        }
        None => {
            index.insert(id.clone(), users.len());
            users.push((id, state));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::journal::{EarlierUser, JobPlace};
    use crate::request::UserIdType;

    fn header() -> Record {
        Record::Header(JournalHeader {
            format: JOURNAL_FORMAT.into(),
            version: JOURNAL_VERSION,
            place: JobPlace {
                host: "https://h.example".into(),
                access_key_id: "k".into(),
                tenant_id: None,
            },
            user_id_type: UserIdType::Email,
            planned: 3,
            ids_digest: "sha256:00".into(),
        })
    }

    fn sent(call: u64, ids: &[&str]) -> Record {
        Record::Sent {
            call,
            user_ids: ids.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn result(call: u64, outcome: &str) -> Record {
        Record::Result {
            call,
            outcome: outcome.into(),
            request_id: Some(format!("r{call}")),
            error: None,
        }
    }

    fn bytes(recs: &[Record]) -> Vec<u8> {
        recs.iter().flat_map(Record::to_line).collect()
    }

    fn states(st: &JournalState) -> Vec<(&str, &UserState)> {
        st.users.iter().map(|(i, s)| (i.as_str(), s)).collect()
    }

    #[test]
    fn results_decide_and_unanswered_calls_stay_in_flight() {
        let b = bytes(&[
            header(),
            sent(1, &["a", "b"]),
            sent(2, &["c"]),
            result(1, "resigned"),
        ]);
        let st = read(&b).unwrap();
        assert_eq!(st.runs, 1);
        assert_eq!(st.valid_len, b.len());
        assert!(!st.torn_tail && st.finished.is_none());
        let resigned = UserState::Resigned {
            request_id: Some("r1".into()),
            earlier_run: false,
        };
        assert_eq!(
            states(&st),
            vec![
                ("a", &resigned),
                ("b", &resigned),
                ("c", &UserState::InFlight)
            ]
        );
    }

    #[test]
    fn a_torn_last_line_is_ignored_and_cut_off() {
        let mut b = bytes(&[header(), sent(1, &["a"])]);
        let whole = b.len();
        let line = result(1, "resigned").to_line();
        b.extend_from_slice(&line[..line.len() - 1]); // complete JSON, no newline
        let st = read(&b).unwrap();
        assert!(st.torn_tail);
        assert_eq!(st.valid_len, whole);
        assert_eq!(
            st.users[0].1,
            UserState::InFlight,
            "an unterminated result does not count"
        );
    }

    #[test]
    fn splits_unknown_outcomes_and_later_runs() {
        let b = bytes(&[
            header(),
            sent(1, &["a", "b"]),
            result(1, "failed"),
            sent(2, &["a"]),
            sent(3, &["b"]),
            result(2, "resigned"),
            result(3, "unknown"),
            header(),
            Record::Earlier {
                users: vec![EarlierUser {
                    user_id: "a".into(),
                    request_id: None,
                }],
            },
            sent(1, &["b"]),
            result(1, "failed"),
            sent(2, &["a"]),
            result(2, "failed"),
        ]);
        let st = read(&b).unwrap();
        assert_eq!(st.runs, 2);
        assert!(
            matches!(&st.users[0].1, UserState::Resigned { request_id: Some(r), .. } if r == "r2"),
            "resigned stays resigned: {:?}",
            st.users[0]
        );
        assert!(
            matches!(&st.users[1].1, UserState::Settled { outcome, .. } if outcome == "failed"),
            "{:?}",
            st.users[1]
        );
        assert_eq!(st.resigned().count(), 1);
    }

    #[test]
    fn broken_journals_name_the_line() {
        let mut other = match header() {
            Record::Header(h) => h,
            _ => unreachable!(),
        };
        let cases: Vec<(Vec<u8>, usize, &str)> = vec![
            (bytes(&[sent(1, &["a"])]), 1, "first line"),
            (
                [bytes(&[header()]), b"{oops}\n".to_vec()].concat(),
                2,
                "not a journal record",
            ),
            (bytes(&[header(), result(7, "resigned")]), 2, "never sent"),
            (
                bytes(&[header(), sent(1, &["a"]), sent(1, &["b"])]),
                3,
                "twice",
            ),
            (
                {
                    other.place.host = "https://other.example".into();
                    bytes(&[header(), Record::Header(other.clone())])
                },
                2,
                "another host",
            ),
            (
                {
                    other = match header() {
                        Record::Header(h) => h,
                        _ => unreachable!(),
                    };
                    other.version = JOURNAL_VERSION + 1;
                    bytes(&[Record::Header(other.clone())])
                },
                1,
                "version",
            ),
        ];
        for (b, line, what) in cases {
            let e = read(&b).unwrap_err();
            assert_eq!(e.line, line, "{e}");
            assert!(e.reason.contains(what), "{e}");
        }
    }

    #[test]
    fn empty_or_only_torn_means_nothing_was_sent() {
        assert_eq!(read(b"").unwrap(), JournalState::default());
        let st = read(b"{\"rec\":\"hea").unwrap();
        assert!(st.header.is_none() && st.torn_tail && st.valid_len == 0);
    }
}
