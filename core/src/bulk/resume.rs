//! `BulkOptions::resume_from`: the users an earlier run resigned, read from its
//! journal or from a JSON report this project wrote, after checking that the run was
//! for the same place and id type.

use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::de::{DeserializeOwned, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use crate::bulk::journal::{self, JobPlace};
use crate::bulk::Outcome;
use crate::error::{Error, Result, ResumeKey};
use crate::request::UserIdType;

/// What a resumed job takes from the earlier run.
#[derive(Debug, Default)]
pub(crate) struct Earlier {
    /// Ids the earlier run resigned, with the request id that did it.
    pub(crate) resigned: HashMap<String, Option<String>>,
}

/// What resuming takes from a JSON report of this project, read one user at a time so
/// that a report of a million users is never held whole: its id type, the users it
/// records as `resigned` (with the request id that did it) and the `source` its writer
/// recorded (the CLI's; `S` is the reader's view of it). Outcomes are read as text and
/// every other field is skipped, so a report of a newer version still reads.
#[derive(Debug, Deserialize)]
#[serde(bound = "S: DeserializeOwned")]
pub struct ReportResume<S> {
    /// The id type of every id in the report.
    pub user_id_type: UserIdType,
    /// The users the report records as resigned, with the request id of the call that
    /// did it. A user resigned on any of its lines counts (a `duplicate` line of the
    /// same id does not undo it); two resigned lines keep the last one's request id.
    #[serde(rename = "users", deserialize_with = "resigned_only")]
    pub resigned: HashMap<String, Option<String>>,
    /// The top-level `source`, if the report has one.
    #[serde(default)]
    pub source: Option<S>,
}

impl<S: DeserializeOwned> ReportResume<S> {
    /// Reads a JSON report from `reader` (buffer it: it is read a byte at a time).
    pub fn from_reader(reader: impl Read) -> serde_json::Result<Self> {
        serde_json::from_reader(reader)
    }
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
fn resigned_only<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<HashMap<String, Option<String>>, D::Error> {
    struct Resigned;
    impl<'de> Visitor<'de> for Resigned {
        type Value = HashMap<String, Option<String>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("the report's list of users")
        }
        fn visit_seq<A: SeqAccess<'de>>(
            self,
            mut users: A,
        ) -> std::result::Result<Self::Value, A::Error> {
            let mut resigned = HashMap::new();
            while let Some(u) = users.next_element::<ReportUser>()? {
                if u.outcome == Outcome::Resigned.as_str() {
                    resigned.insert(u.user_id, u.request_id);
                }
            }
            Ok(resigned)
        }
    }
    d.deserialize_seq(Resigned)
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
struct Recorded {
    host: Option<String>,
    access_key_id: Option<String>,
    tenant_id: Option<String>,
    user_id_type: UserIdType,
}

/// Reads `path` (a journal, or a JSON report) and checks it against this job.
/// `force` accepts another (or an unrecorded) place, never another id type.
pub(crate) fn load(
    path: &Path,
    now: &JobPlace,
    id_type: UserIdType,
    force: bool,
) -> Result<Earlier> {
    let io_error = |e: std::io::Error| journal::write::journal_error(path, &e);
    let mut reader = BufReader::new(File::open(path).map_err(io_error)?);
    let first = first_line(&mut reader).map_err(io_error)?;
    let bad = |reason: String| Error::Journal {
        path: path.display().to_string(),
        reason,
    };
    let (recorded, resigned) = if looks_like_journal(&first) {
        let mut bytes = first;
        reader.read_to_end(&mut bytes).map_err(io_error)?;
        let st = journal::read(&bytes).map_err(|e| bad(e.to_string()))?;
        let Some(h) = st.header.clone() else {
            // No complete header: the run died before its first call.
            return Ok(Earlier::default());
        };
        let resigned = st
            .resigned()
            .map(|(id, rid)| (id.to_string(), rid.map(str::to_string)))
            .collect();
        let recorded = Recorded {
            host: Some(h.place.host),
            access_key_id: Some(h.place.access_key_id),
            tenant_id: h.place.tenant_id,
            user_id_type: h.user_id_type,
        };
        (recorded, resigned)
    } else {
        // serde_json reads a byte at a time: a BufReader serves that from its buffer,
        // a bare `Chain` would make each byte a `read` call.
        let report = ReportResume::<SourceView>::from_reader(BufReader::new(first.chain(reader)))
            .map_err(|e| {
            bad(format!(
                "neither a journal nor a JSON report of authing-resign ({e})"
            ))
        })?;
        let s = report.source.unwrap_or_default();
        let recorded = Recorded {
            host: s.host,
            access_key_id: s.access_key_id,
            tenant_id: s.tenant_id,
            user_id_type: report.user_id_type,
        };
        (recorded, report.resigned)
    };
    check(path, &recorded, now, id_type, force)?;
    Ok(Earlier { resigned })
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

    #[test]
    fn a_report_keeps_only_its_resigned_users_and_reads_newer_fields() {
        let text = r#"{"user_id_type":"email","future_field":[1,2],"users":[
            {"user_id":"a@x","outcome":"resigned","request_id":"r1","verified":true},
            {"user_id":"b@x","outcome":"failed","error":{"code":"timeout","message":"m"}},
            {"user_id":"c@x","outcome":"resigned"},
            {"user_id":"d@x","outcome":"outcome_of_a_newer_version"},
            {"user_id":"b@x","outcome":"resigned","request_id":"r2"}],
            "source":{"host":"https://h","emulator":false}}"#;
        let r = ReportResume::<SourceView>::from_reader(text.as_bytes()).unwrap();
        assert_eq!(r.user_id_type, UserIdType::Email);
        let mut resigned: Vec<_> = r.resigned.into_iter().collect();
        resigned.sort();
        assert_eq!(
            resigned,
            [
                ("a@x".to_string(), Some("r1".to_string())),
                ("b@x".to_string(), Some("r2".to_string())),
                ("c@x".to_string(), None),
            ]
        );
        assert_eq!(r.source.unwrap().host.as_deref(), Some("https://h"));
    }

    #[test]
    fn a_report_without_users_or_with_a_bad_line_is_refused() {
        for text in [
            r#"{"user_id_type":"email"}"#,
            r#"{"user_id_type":"email","users":[{"user_id":"a"}]}"#,
            r#"{"user_id_type":"email","users":{"user_id":"a","outcome":"resigned"}}"#,
        ] {
            assert!(
                ReportResume::<SourceView>::from_reader(text.as_bytes()).is_err(),
                "{text}"
            );
        }
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
