//! `BulkOptions::resume_from`: the users an earlier run resigned, read once from its
//! journal or from a JSON report this project wrote ([`EarlierRun`]), and the check
//! that the run was for the same place and id type.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use crate::bulk::earlier::{Resigned, TooMany};
use crate::bulk::journal::{self, JobPlace};
use crate::bulk::Outcome;
use crate::error::{Error, Result, ResumeKey};
use crate::request::UserIdType;

/// What a resumed job takes from an earlier run, read once: the users it resigned (with
/// the request id of the call that did it), where it ran and its id type. Read from a
/// journal or, one user at a time, from a JSON report of this project, so a report of a
/// million users is never held whole: only its resigned users are kept, compactly (ids
/// in one string, a call's shared request id once; ~40 bytes a user).
///
/// [`EarlierRun::read`] reads a file as `BulkOptions::resume_from` does; a caller that
/// checks the earlier run itself (the CLI) hands it to
/// [`crate::ManagementClient::resign_users_resumed`] instead of the job reading the
/// file again. Which users count is the core's rule: a user on any `resigned` line (a
/// `duplicate` line of the same id does not undo it; two resigned lines keep the last
/// one's request id), or, in a journal, every user it records as resigned.
#[derive(Clone, Debug)]
pub struct EarlierRun {
    /// `None` for a journal without a complete header (its run died before its first
    /// call, so it resigned nobody).
    recorded: Option<Recorded>,
    resigned: Resigned,
    source: Option<Value>,
}

impl EarlierRun {
    /// Reads `path`: a journal, or a JSON report of this project (a journal when
    /// [`resume_file_is_journal`] says so). Errors ([`Error::Journal`]) when it cannot be
    /// read or is neither.
    pub fn read(path: &Path) -> Result<Self> {
        let io_error = |e: std::io::Error| journal::write::journal_error(path, &e);
        let mut reader = BufReader::new(File::open(path).map_err(io_error)?);
        let first = first_line(&mut reader).map_err(io_error)?;
        let bad = |reason: String| Error::Journal {
            path: path.display().to_string(),
            reason,
        };
        if looks_like_journal(&first) {
            let mut bytes = first;
            reader.read_to_end(&mut bytes).map_err(io_error)?;
            let st = journal::read(&bytes).map_err(|e| bad(e.to_string()))?;
            drop(bytes);
            return Self::of_journal(&st).map_err(|TooMany| bad(TooMany.to_string()));
        }
        // serde_json reads a byte at a time: a BufReader serves that from its buffer,
        // a bare `Chain` would make each byte a `read` call.
        Self::from_report(BufReader::new(first.chain(reader))).map_err(|e| {
            bad(format!(
                "neither a journal nor a JSON report of authing-resign ({e})"
            ))
        })
    }

    /// Reads a JSON report from `reader` (buffer it: it is read a byte at a time).
    /// Outcomes are read as text and every other field is skipped, so a report of a
    /// newer version still reads.
    pub fn from_report(reader: impl Read) -> serde_json::Result<Self> {
        let report: ReportView = serde_json::from_reader(reader)?;
        let s = match &report.source {
            Some(v) => SourceView::deserialize(v)?,
            None => SourceView::default(),
        };
        Ok(Self {
            recorded: Some(Recorded {
                host: s.host,
                access_key_id: s.access_key_id,
                tenant_id: s.tenant_id,
                user_id_type: report.user_id_type,
            }),
            resigned: report.resigned,
            source: report.source,
        })
    }

    fn of_journal(st: &journal::JournalState) -> std::result::Result<Self, TooMany> {
        let Some(h) = &st.header else {
            return Ok(Self {
                recorded: None,
                resigned: Resigned::default().seal(),
                source: None,
            });
        };
        let mut resigned = Resigned::default();
        for (id, rid) in st.resigned() {
            resigned.push(id, rid)?;
        }
        Ok(Self {
            recorded: Some(Recorded {
                host: Some(h.place.host.clone()),
                access_key_id: Some(h.place.access_key_id.clone()),
                tenant_id: h.place.tenant_id.clone(),
                user_id_type: h.user_id_type,
            }),
            resigned: resigned.seal(),
            source: None,
        })
    }

    /// The id type it records (`None`: a journal whose run died before its header).
    pub fn user_id_type(&self) -> Option<UserIdType> {
        self.recorded.as_ref().map(|r| r.user_id_type)
    }

    /// The host it records: a journal's, or the `host` of a report's `source`.
    pub fn host(&self) -> Option<&str> {
        self.recorded.as_ref().and_then(|r| r.host.as_deref())
    }

    /// A report's top-level `source`, as its writer recorded it (`None` for a journal
    /// and for a report without one).
    pub fn source(&self) -> Option<&Value> {
        self.source.as_ref()
    }

    /// `Some(request id of the call that resigned it)` when the earlier run resigned
    /// `id`.
    pub fn resigned(&self, id: &str) -> Option<Option<&str>> {
        self.resigned.get(id)
    }

    /// The users the earlier run resigned, sorted by id, each once, with their request
    /// ids.
    pub fn resigned_users(&self) -> impl Iterator<Item = (&str, Option<&str>)> + '_ {
        self.resigned.iter()
    }

    /// How many distinct users the earlier run resigned.
    pub fn resigned_count(&self) -> usize {
        self.resigned.len()
    }

    pub(crate) fn resigned_set(&self) -> &Resigned {
        &self.resigned
    }

    /// Checks the record against this job (read from `path`, named in errors).
    /// `force` accepts another (or an unrecorded) place, never another id type.
    pub(crate) fn check(
        &self,
        path: &Path,
        now: &JobPlace,
        id_type: UserIdType,
        force: bool,
    ) -> Result<()> {
        match &self.recorded {
            Some(rec) => check(path, rec, now, id_type, force),
            // No header: the run sent nothing and resigned nobody.
            None => Ok(()),
        }
    }
}

impl fmt::Display for TooMany {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("more than 2^32 - 1 request ids: too large to resume from")
    }
}

/// A JSON report as resuming reads it: its id type, its resigned users (streamed) and
/// its `source`; every other field is skipped.
#[derive(Deserialize)]
struct ReportView {
    user_id_type: UserIdType,
    #[serde(rename = "users", deserialize_with = "resigned_only")]
    resigned: Resigned,
    #[serde(default)]
    source: Option<Value>,
}

/// One line of the report's `users`, as resuming reads it.
#[derive(Deserialize)]
struct ReportUser {
    user_id: String,
    outcome: String,
    #[serde(default)]
    request_id: Option<String>,
}

/// The report's `users`, keeping only the resigned ones as they stream past.
fn resigned_only<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Resigned, D::Error> {
    struct Users;
    impl<'de> Visitor<'de> for Users {
        type Value = Resigned;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("the report's list of users")
        }
        fn visit_seq<A: SeqAccess<'de>>(
            self,
            mut users: A,
        ) -> std::result::Result<Self::Value, A::Error> {
            let mut resigned = Resigned::default();
            while let Some(u) = users.next_element::<ReportUser>()? {
                if u.outcome == Outcome::Resigned.as_str() {
                    resigned
                        .push(&u.user_id, u.request_id.as_deref())
                        .map_err(serde::de::Error::custom)?;
                }
            }
            Ok(resigned.seal())
        }
    }
    d.deserialize_seq(Users)
}

/// The writer's `source`, as far as the core checks it.
#[derive(Default, Deserialize)]
struct SourceView {
    #[serde(default)]
    host: Option<String>,
    #[serde(default)]
    access_key_id: Option<String>,
    #[serde(default)]
    tenant_id: Option<String>,
}

/// What the file records about where its run was.
#[derive(Clone, Debug)]
struct Recorded {
    host: Option<String>,
    access_key_id: Option<String>,
    tenant_id: Option<String>,
    user_id_type: UserIdType,
}

/// How much of the first line is looked at to tell a journal (whose header line is far
/// shorter) from a report.
const FIRST_LINE_MAX: u64 = 1 << 20;

/// Whether the file at `path` is read as a journal (rather than as a JSON report) when
/// given as `resume_from`: its first line is blank (a run that died before writing its
/// header, or an empty file) or is a journal's header record. Only a bounded first line
/// is read. For a caller that reads reports itself and leaves journals to the core.
pub fn resume_file_is_journal(path: &Path) -> std::io::Result<bool> {
    let first = first_line(&mut BufReader::new(File::open(path)?))?;
    Ok(looks_like_journal(&first))
}

/// The first line of a resume file, at most [`FIRST_LINE_MAX`] bytes: a journal's first
/// line is its header; a report's may be the whole report.
fn first_line(reader: &mut impl BufRead) -> std::io::Result<Vec<u8>> {
    let mut first = Vec::new();
    reader.take(FIRST_LINE_MAX).read_until(b'\n', &mut first)?;
    Ok(first)
}

/// A journal starts with its header line; a report is one JSON document.
fn looks_like_journal(first_line: &[u8]) -> bool {
    let text = String::from_utf8_lossy(first_line);
    let t = text.trim_start();
    t.is_empty() || (t.starts_with('{') && t.contains("\"rec\":\"header\""))
}

fn check(
    path: &Path,
    rec: &Recorded,
    now: &JobPlace,
    id_type: UserIdType,
    force: bool,
) -> Result<()> {
    let mismatch = |field: ResumeKey, earlier: String, now: String| Error::ResumeMismatch {
        path: path.display().to_string(),
        field,
        earlier,
        now,
    };
    if rec.user_id_type != id_type {
        return Err(mismatch(
            ResumeKey::UserIdType,
            rec.user_id_type.to_string(),
            id_type.to_string(),
        ));
    }
    if force {
        return Ok(());
    }
    let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(not recorded)".into());
    if rec.host.as_deref() != Some(now.host.as_str()) {
        return Err(mismatch(
            ResumeKey::Host,
            shown(&rec.host),
            now.host.clone(),
        ));
    }
    if rec.access_key_id.as_deref() != Some(now.access_key_id.as_str()) {
        return Err(mismatch(
            ResumeKey::AccessKeyId,
            shown(&rec.access_key_id),
            now.access_key_id.clone(),
        ));
    }
    if rec.tenant_id != now.tenant_id {
        let t = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
        return Err(mismatch(
            ResumeKey::TenantId,
            t(&rec.tenant_id),
            t(&now.tenant_id),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users(r: &EarlierRun) -> Vec<(String, Option<String>)> {
        r.resigned_users()
            .map(|(id, rid)| (id.to_string(), rid.map(str::to_string)))
            .collect()
    }

    #[test]
    fn a_report_keeps_only_its_resigned_users_and_reads_newer_fields() {
        let text = r#"{"user_id_type":"email","future_field":[1,2],"users":[
            {"user_id":"a@x","outcome":"resigned","request_id":"r1","verified":true},
            {"user_id":"b@x","outcome":"failed","error":{"code":"timeout","message":"m"}},
            {"user_id":"c@x","outcome":"resigned"},
            {"user_id":"d@x","outcome":"outcome_of_a_newer_version"},
            {"user_id":"c@x","outcome":"duplicate"},
            {"user_id":"b@x","outcome":"resigned","request_id":"r2"}],
            "source":{"host":"https://h","emulator":false}}"#;
        let r = EarlierRun::from_report(text.as_bytes()).unwrap();
        assert_eq!(r.user_id_type(), Some(UserIdType::Email));
        assert_eq!(
            users(&r),
            [
                ("a@x".to_string(), Some("r1".to_string())),
                ("b@x".to_string(), Some("r2".to_string())),
                ("c@x".to_string(), None),
            ]
        );
        assert_eq!(r.resigned_count(), 3);
        assert_eq!(r.resigned("c@x"), Some(None));
        assert_eq!(r.resigned("d@x"), None);
        assert_eq!(r.host(), Some("https://h"));
        assert_eq!(r.source().unwrap()["emulator"], Value::Bool(false));
    }

    #[test]
    fn an_id_resigned_twice_keeps_the_last_request_id() {
        let text = r#"{"user_id_type":"email","users":[
            {"user_id":"a@x","outcome":"resigned","request_id":"r1"},
            {"user_id":"a@x","outcome":"resigned","request_id":"r2"},
            {"user_id":"a@x","outcome":"failed","request_id":"r3"}]}"#;
        let r = EarlierRun::from_report(text.as_bytes()).unwrap();
        assert_eq!(users(&r), [("a@x".to_string(), Some("r2".to_string()))]);
        assert_eq!(r.source(), None);
        assert_eq!(r.host(), None);
    }

    #[test]
    fn a_report_without_users_or_with_a_bad_line_or_source_is_refused() {
        for text in [
            r#"{"user_id_type":"email"}"#,
            r#"{"user_id_type":"email","users":[{"user_id":"a"}]}"#,
            r#"{"user_id_type":"email","users":{"user_id":"a","outcome":"resigned"}}"#,
            r#"{"user_id_type":"email","users":[],"source":{"host":5}}"#,
            r#"{"user_id_type":"email","users":[],"source":"h"}"#,
        ] {
            assert!(EarlierRun::from_report(text.as_bytes()).is_err(), "{text}");
        }
    }

    /// A report cut anywhere (a copy interrupted, a full disk) is refused, never read
    /// as the users before the cut: the users after it would be sent again unannounced.
    #[test]
    fn a_truncated_report_is_refused() {
        let text = r#"{"user_id_type":"email","users":[{"user_id":"a@x","outcome":"resigned","request_id":"r1"},{"user_id":"b@x","outcome":"resigned"}],"source":{"host":"https://h"}}"#;
        assert!(EarlierRun::from_report(text.as_bytes()).is_ok());
        for cut in 0..text.len() {
            let e = EarlierRun::from_report(&text.as_bytes()[..cut]);
            assert!(e.is_err(), "cut at {cut}");
        }
        let dir = std::env::temp_dir().join(format!("resume-cut-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.json");
        std::fs::write(&path, &text[..text.len() / 2]).unwrap();
        let e = EarlierRun::read(&path).unwrap_err();
        assert!(
            matches!(&e, Error::Journal { reason, .. }
                if reason.starts_with("neither a journal nor a JSON report of authing-resign (EOF")),
            "{e}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_journal_reads_its_resigned_users_and_place() {
        let dir = std::env::temp_dir().join(format!("resume-journal-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let header = journal::JournalHeader {
            format: journal::JOURNAL_FORMAT.into(),
            version: journal::JOURNAL_VERSION,
            place: JobPlace {
                host: "http://127.0.0.1:1".into(),
                access_key_id: "k".into(),
                tenant_id: None,
            },
            user_id_type: UserIdType::Email,
            planned: 3,
            ids_digest: "sha256:x".into(),
        };
        let records = [
            journal::Record::Header(header),
            journal::Record::Sent {
                call: 1,
                user_ids: vec!["b@x".into(), "a@x".into()],
            },
            journal::Record::Result {
                call: 1,
                outcome: "resigned".into(),
                request_id: Some("r1".into()),
                error: None,
            },
            journal::Record::Sent {
                call: 2,
                user_ids: vec!["c@x".into()],
            },
        ];
        let path = dir.join("j");
        std::fs::write(
            &path,
            records
                .iter()
                .flat_map(|r| r.to_line())
                .collect::<Vec<u8>>(),
        )
        .unwrap();
        let r = EarlierRun::read(&path).unwrap();
        assert_eq!(r.user_id_type(), Some(UserIdType::Email));
        assert_eq!(r.host(), Some("http://127.0.0.1:1"));
        assert_eq!(r.source(), None);
        assert_eq!(
            users(&r),
            [
                ("a@x".to_string(), Some("r1".to_string())),
                ("b@x".to_string(), Some("r1".to_string())),
            ]
        );
        // A run that died before its header: nobody resigned, nothing to check.
        std::fs::write(&path, b"").unwrap();
        let r = EarlierRun::read(&path).unwrap();
        assert_eq!((r.user_id_type(), r.resigned_count()), (None, 0));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_is_told_a_journal_by_its_first_line() {
        let dir = std::env::temp_dir().join(format!("resume-kind-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let cases: [(&str, &[u8], bool); 4] = [
            ("empty", b"", true),
            ("blank", b"  \n", true),
            (
                "journal",
                b"{\"rec\":\"header\",\"format\":\"x\"}\n{\"rec\":\"sent\"}\n",
                true,
            ),
            (
                "report",
                b"{\"user_id_type\":\"email\",\"users\":[]}",
                false,
            ),
        ];
        for (name, bytes, journal) in cases {
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            assert_eq!(resume_file_is_journal(&path).unwrap(), journal, "{name}");
        }
        assert!(resume_file_is_journal(&dir.join("missing")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_the_first_line_tells_a_journal() {
        assert!(looks_like_journal(b""));
        assert!(looks_like_journal(
            b"  {\"rec\":\"header\",\"format\":\"x\"}\n"
        ));
        assert!(!looks_like_journal(b"{\n"));
        assert!(!looks_like_journal(
            b"{\"user_id_type\":\"email\",\"users\":[]}"
        ));
    }
}
