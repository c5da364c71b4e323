//! The write-ahead journal of a bulk job (`BulkOptions::journal`): an append-only
//! JSON Lines file, so that a job killed at any moment (SIGKILL and power loss
//! included) leaves a record of every user the server may have resigned.
//!
//! Lines, each one JSON object tagged by `rec`:
//! - `header`: format name and version, host, access key id (never the secret),
//!   tenant, id type, the number and a SHA-256 digest of the ids the job plans to
//!   send. A journal continued by a resumed job holds one header per run.
//! - `earlier`: users a resumed job skips because an earlier run resigned them (with
//!   that run's request ids), so each journal is a complete record on its own.
//! - `sent`: written *before* a call (synced with the next `result`): its number and ids.
//! - `result`: written and synced when the call's outcome is known, *before* its users
//!   are counted: outcome, request id, error.
//! - `end`: the job finished (totals, why it stopped early).
//!
//! A `result` is synced to disk (`fdatasync`) before its users count, group-committed
//! when several calls finish together; each sync covers every line written before it
//! (see `write`). A torn last line (a crash mid-write) is ignored by [`read`].

mod read;
pub(crate) mod write;

use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use crate::bulk::earlier::Resigned;
use crate::bulk::{BulkTotals, OutcomeError};
use crate::request::UserIdType;

pub use read::{read, JournalState, ReadError, UserState};

/// The `format` field of every header.
pub const JOURNAL_FORMAT: &str = "authing-resign-journal";
/// The format version this crate writes and reads.
pub const JOURNAL_VERSION: u32 = 1;

/// Where a job runs: what a resumed job must share with the run it resumes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobPlace {
    /// The API host (`ClientOptions::host`).
    pub host: String,
    /// The access key id (it names the key; the secret is never recorded).
    pub access_key_id: String,
    /// The tenant id sent as `x-authing-tenant-id`, if any.
    #[serde(default)]
    pub tenant_id: Option<String>,
}

/// The first line of a journal (and of every run appended to it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalHeader {
    /// Always [`JOURNAL_FORMAT`].
    pub format: String,
    /// [`JOURNAL_VERSION`] when written by this crate.
    pub version: u32,
    /// Where the job runs.
    #[serde(flatten)]
    pub place: JobPlace,
    /// The id type of every id in the journal.
    pub user_id_type: UserIdType,
    /// How many ids the job plans to send.
    pub planned: u64,
    /// `sha256:` and the hex SHA-256 of the planned ids, each followed by `\n`.
    pub ids_digest: String,
}

/// A user an earlier run resigned, carried into a resumed job's journal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierUser {
    /// The id.
    pub user_id: String,
    /// The request id of the call that resigned it, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// One line of the journal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rec", rename_all = "snake_case")]
pub(crate) enum Record {
    Header(JournalHeader),
    Earlier {
        users: Vec<EarlierUser>,
    },
    Sent {
        call: u64,
        user_ids: Vec<String>,
    },
    Result {
        call: u64,
        /// An outcome name (`Outcome::as_str`); kept as text so that a reader meets
        /// outcomes of newer versions as "not resigned: send again", never as an error.
        outcome: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        request_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<OutcomeError>,
    },
    End {
        totals: BulkTotals,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stopped_early: Option<OutcomeError>,
    },
}

impl Record {
    /// The record as one journal line, newline included.
    pub(crate) fn to_line(&self) -> Vec<u8> {
        let mut line = Vec::new();
        self.write_line(&mut line);
        line
    }

    /// Appends the record's line, newline included, to `out`.
    pub(crate) fn write_line(&self, out: &mut Vec<u8>) {
        // Serializing plain data to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, self);
        out.push(b'\n');
    }
}

/// Appends a call's `sent` line to `out`, serialized from the borrowed ids: the same
/// bytes as [`Record::Sent`] (a call's ids are not copied into `String`s first).
pub(crate) fn write_sent_line(out: &mut Vec<u8>, call: u64, user_ids: &[&str]) {
    #[derive(Serialize)]
    struct Sent<'a> {
        rec: &'static str,
        call: u64,
        user_ids: &'a [&'a str],
    }
    let rec = Sent {
        rec: "sent",
        call,
        user_ids,
    };
    // Serializing plain data to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, &rec);
    out.push(b'\n');
}

/// The `earlier` record of a resumed job, serialized from the compact set as it is
/// iterated (a million users are never copied into [`EarlierUser`]s): the same bytes as
/// [`Record::Earlier`] with those users.
pub(crate) struct EarlierRecord<'a>(pub(crate) &'a Resigned);

impl Serialize for EarlierRecord<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        /// [`EarlierUser`], borrowed.
        #[derive(Serialize)]
        struct User<'a> {
            user_id: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            request_id: Option<&'a str>,
        }
        struct Users<'a>(&'a Resigned);
        impl Serialize for Users<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.iter().map(|(user_id, request_id)| User {
                    user_id,
                    request_id,
                }))
            }
        }
        let mut rec = s.serialize_struct("Record", 2)?;
        rec.serialize_field("rec", "earlier")?;
        rec.serialize_field("users", &Users(self.0))?;
        rec.end()
    }
}

/// `sha256:<hex>` of the ids, each followed by `\n`.
pub(crate) fn ids_digest<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for id in ids {
        h.update(id.as_bytes());
        h.update(b"\n");
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_borrowed_sent_line_is_the_record_byte_for_byte() {
        let ids = ["a", "b\u{202e}\"q\\", "\u{1F600}"];
        let owned = Record::Sent {
            call: 7,
            user_ids: ids.iter().map(|s| s.to_string()).collect(),
        };
        // Appended after what the buffer already holds, as the job's loop does.
        let mut line = b"before\n".to_vec();
        write_sent_line(&mut line, 7, &ids);
        assert_eq!(line, [b"before\n".to_vec(), owned.to_line()].concat());
    }

    #[test]
    fn the_streamed_earlier_record_is_the_record_byte_for_byte() {
        let mut set = Resigned::default();
        for (id, rid) in [
            ("b\u{202e}\"q", Some("r1")),
            ("a", None),
            ("c", Some("r1")),
            ("a", Some("r2")),
        ] {
            set.push(id, rid).unwrap();
        }
        let set = set.seal();
        let users = set
            .iter()
            .map(|(id, rid)| EarlierUser {
                user_id: id.to_string(),
                request_id: rid.map(str::to_string),
            })
            .collect();
        let mut streamed = serde_json::to_vec(&EarlierRecord(&set)).unwrap();
        streamed.push(b'\n');
        assert_eq!(
            String::from_utf8(streamed).unwrap(),
            String::from_utf8(Record::Earlier { users }.to_line()).unwrap()
        );
        let empty = Resigned::default().seal();
        assert_eq!(
            serde_json::to_string(&EarlierRecord(&empty)).unwrap(),
            r#"{"rec":"earlier","users":[]}"#
        );
    }
}
