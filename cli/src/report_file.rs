//! `--report PATH.json|PATH.csv` and `--resume PATH.json`: the report on disk.
//!
//! The JSON file is the core's report (every field, values exact; `"earlier_run": true`
//! on users an earlier run resigned) plus a top-level `source` (host, access key id,
//! tenant, emulator; see [`Source`]), which readers of the core's report ignore and
//! the core's `resume_from` checks. It is written by the core's `bulk::write_replacing`
//! (a temporary file and a rename, so a killed run never leaves half a report; a device
//! such as `/dev/stdout` in place).

use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::Path;

use authing_resign::bulk::{resume_file_is_journal, EarlierRun};
use authing_resign::CompactReport;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::csv_report::write_csv;
use crate::exit::{usage, CliError};
use crate::source::Source;

/// The format a report path asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The full report (readable by `--resume`).
    Json,
    /// One row per input id.
    Csv,
}

/// A report as the tool writes it.
#[derive(Clone, Debug)]
pub struct Document {
    /// The job's report, over every input id (compact: a million users fit).
    pub report: CompactReport,
    /// Where the job ran; `None` in reports of versions that did not record it.
    pub source: Option<Source>,
}

/// What `--resume` reads back from a report: the core's record of it (its resigned
/// users, read one user at a time and kept compactly: a million-user report is never
/// held whole, and is read once) and where it ran.
#[derive(Debug)]
pub struct EarlierReport {
    /// What the core resumes from.
    pub record: EarlierRun,
    /// The report's `source`; `None` in reports of versions that did not record it.
    pub source: Option<Source>,
}

impl EarlierReport {
    /// Reads a report (buffer `reader`: it is read a byte at a time).
    pub fn from_reader(reader: impl io::Read) -> serde_json::Result<Self> {
        let record = EarlierRun::from_report(reader)?;
        let source = record.source().map(Source::deserialize).transpose()?;
        Ok(Self { record, source })
    }
}

/// Sorted keys at every level, as a `serde_json::Value` (a sorted map) prints them: the
/// layout the tool has always written.
fn sorted<T: Serialize>(v: &T) -> Result<Value, serde_json::Error> {
    serde_json::to_value(v)
}

/// The users, one sorted map at a time: never the whole list.
struct Users<'a>(&'a CompactReport);

impl Serialize for Users<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for u in self.0.users() {
            seq.serialize_element(&sorted(&u).map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
}

/// The planned chunks, as lists of ids.
struct Chunks<'a>(&'a CompactReport);

impl Serialize for Chunks<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.chunks())
    }
}

/// The core's report with a top-level `source`, keys sorted, users streamed one by one.
impl Serialize for Document {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        let r = &self.report;
        let err = S::Error::custom;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("chunks", &Chunks(r))?;
        m.serialize_entry("dry_run", &r.dry_run)?;
        m.serialize_entry("elapsed_ms", &r.elapsed_ms)?;
        m.serialize_entry("http_calls", &r.http_calls)?;
        m.serialize_entry("lookup_calls", &r.lookup_calls)?;
        m.serialize_entry("source", &sorted(&self.source).map_err(err)?)?;
        if let Some(e) = &r.stopped_early {
            m.serialize_entry("stopped_early", &sorted(e).map_err(err)?)?;
        }
        m.serialize_entry("totals", &sorted(&r.totals).map_err(err)?)?;
        m.serialize_entry("user_id_type", &r.user_id_type)?;
        m.serialize_entry("users", &Users(r))?;
        m.serialize_entry("verify_only", &r.verify_only)?;
        m.end()
    }
}

impl Document {
    /// Streams the pretty-printed JSON document (see the module docs) to `out`.
    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self)?;
        out.write_all(b"\n")
    }
}

/// Picks the format from the extension; checked before anything is sent so a typo
/// cannot lose the report of a job that already ran.
pub fn format_of(path: &Path) -> Result<Format, CliError> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("json") => Ok(Format::Json),
        Some("csv") => Ok(Format::Csv),
        _ => Err(usage(format!(
            "--report {}: the file name must end in .json or .csv",
            path.display()
        ))),
    }
}

/// Writes the report in the given format, streamed to the file.
pub fn write(path: &Path, format: Format, doc: &Document) -> Result<(), String> {
    authing_resign::bulk::write_replacing(path, |out| match format {
        Format::Json => doc.write_json(out),
        Format::Csv => write_csv(&doc.report, out),
    })
    .map_err(|e| format!("cannot write the report to {}: {e}", path.display()))
}

/// Reads the JSON report given to `--resume`, to check where it was written.
/// `Ok(None)` when the path holds no report but a journal (or is next to one: a run
/// killed before writing its report leaves an empty file): the core then reads and
/// checks the journal.
pub fn read_for_resume(path: &Path) -> Result<Option<EarlierReport>, CliError> {
    let has_journal = crate::record::beside(path).is_file();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(_) if has_journal => return Ok(None),
        Err(e) => {
            return Err(usage(format!(
                "cannot read --resume {}: {e}",
                path.display()
            )))
        }
    };
    match EarlierReport::from_reader(BufReader::new(file)) {
        Ok(doc) => Ok(Some(doc)),
        Err(_) if has_journal || resume_file_is_journal(path).unwrap_or(false) => Ok(None),
        Err(e) => Err(usage(format!(
            "--resume {}: neither a JSON report written by --report PATH.json nor a journal: {e}",
            path.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use authing_resign::{BulkReport, UserIdType};

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(format_of(Path::new("r.json")).unwrap(), Format::Json);
        assert_eq!(format_of(Path::new("R.CSV")).unwrap(), Format::Csv);
        assert!(format_of(Path::new("r.txt"))
            .unwrap_err()
            .0
            .contains(".json or .csv"));
        assert!(format_of(Path::new("report")).is_err());
    }

    #[test]
    fn json_streams_the_sorted_layout_and_round_trips() {
        let report =
            authing_resign::bulk::plan_compact(&["a", "b"], UserIdType::Username, 50).unwrap();
        let doc = Document {
            report,
            source: Some(Source::dry_run(false, Some("t1"))),
        };
        let mut text = Vec::new();
        doc.write_json(&mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        // The layout of a sorted `Value`, as earlier versions wrote it.
        let mut v = serde_json::to_value(doc.report.clone().into_report()).unwrap();
        v.as_object_mut()
            .unwrap()
            .insert("source".into(), serde_json::to_value(&doc.source).unwrap());
        assert_eq!(text, serde_json::to_string_pretty(&v).unwrap() + "\n");
        let back = EarlierReport::from_reader(text.as_bytes()).unwrap();
        assert_eq!(back.record.user_id_type(), Some(UserIdType::Username));
        assert_eq!(back.record.resigned_count(), 0);
        assert_eq!(back.source, doc.source);
        let bare = serde_json::to_string(&back_report()).unwrap();
        let bare = EarlierReport::from_reader(bare.as_bytes()).unwrap();
        assert_eq!(bare.source, None);
        // A `source` the tool did not write (no `emulator`) is no report of the tool.
        let mut odd = serde_json::to_value(back_report()).unwrap();
        odd["source"] = serde_json::json!({"host": "https://h"});
        assert!(EarlierReport::from_reader(odd.to_string().as_bytes()).is_err());
    }

    #[test]
    fn resume_reads_the_resigned_users_of_a_report() {
        let mut report = back_report();
        report.users[0].outcome = authing_resign::Outcome::Resigned;
        report.users[0].request_id = Some("r1".into());
        let text = serde_json::to_string(&report).unwrap();
        let back = EarlierReport::from_reader(text.as_bytes()).unwrap();
        assert_eq!(back.record.resigned("a"), Some(Some("r1")));
        assert_eq!(back.record.resigned_count(), 1);
    }

    fn back_report() -> BulkReport {
        authing_resign::bulk::plan(&["a"], UserIdType::Username, 50).unwrap()
    }
}
