//! `--report PATH.json|PATH.csv` and `--resume PATH.json`: the report on disk.
//!
//! The JSON file is the core's report (every field, values exact; `"earlier_run": true`
//! on users an earlier run resigned) plus a top-level `source` (host, access key id,
//! tenant, emulator; see [`Source`]), which readers of the core's report ignore and
//! the core's `resume_from` checks. It is written through a temporary file and a
//! rename, so a killed run never leaves half a report.

use std::path::Path;

use authing_resign::BulkReport;
use serde_json::Value;

use crate::csv_report::to_csv;
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
    /// The job's report, over every input id.
    pub report: BulkReport,
    /// Where the job ran; `None` in reports of versions that did not record it.
    pub source: Option<Source>,
}

impl Document {
    /// The JSON document (see the module docs).
    pub fn to_json(&self) -> Result<Value, serde_json::Error> {
        let mut v = serde_json::to_value(&self.report)?;
        if let Some(top) = v.as_object_mut() {
            top.insert("source".into(), serde_json::to_value(&self.source)?);
        }
        Ok(v)
    }

    /// Reads a JSON document (or a bare core report, which then has no source).
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        let v: Value = serde_json::from_str(text)?;
        let source = match v.get("source") {
            None | Some(Value::Null) => None,
            Some(s) => Some(serde_json::from_value(s.clone())?),
        };
        Ok(Self {
            report: serde_json::from_value(v)?,
            source,
        })
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

/// Writes the report in the given format.
pub fn write(path: &Path, format: Format, doc: &Document) -> Result<(), String> {
    let bytes = match format {
        Format::Json => {
            let json = doc.to_json().map_err(|e| e.to_string())?;
            let mut v = serde_json::to_vec_pretty(&json).map_err(|e| e.to_string())?;
            v.push(b'\n');
            v
        }
        Format::Csv => to_csv(&doc.report).map_err(|e| e.to_string())?,
    };
    crate::record::write_atomically(path, &bytes)
        .map_err(|e| format!("cannot write the report to {}: {e}", path.display()))
}

/// Reads the JSON report given to `--resume`, to check where it was written.
/// `Ok(None)` when the path holds no report but a journal (or is next to one: a run
/// killed before writing its report leaves an empty file): the core then reads and
/// checks the journal.
pub fn read_for_resume(path: &Path) -> Result<Option<Document>, CliError> {
    let has_journal = crate::record::beside(path).is_file();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(_) if has_journal => return Ok(None),
        Err(e) => {
            return Err(usage(format!(
                "cannot read --resume {}: {e}",
                path.display()
            )))
        }
    };
    match Document::from_json(&text) {
        Ok(doc) => Ok(Some(doc)),
        Err(_) if has_journal || text.trim().is_empty() || text.starts_with("{\"rec\"") => Ok(None),
        Err(e) => Err(usage(format!(
            "--resume {}: neither a JSON report written by --report PATH.json nor a journal: {e}",
            path.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use authing_resign::UserIdType;

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
    fn json_round_trips_source_and_earlier_run() {
        let report = authing_resign::bulk::plan(&["a", "b"], UserIdType::Username, 50).unwrap();
        let mut report = report;
        report.users[1].earlier_run = true;
        let doc = Document {
            report,
            source: Some(Source::dry_run(false, Some("t1"))),
        };
        let text = serde_json::to_string(&doc.to_json().unwrap()).unwrap();
        assert!(text.contains("\"earlier_run\":true"), "{text}");
        let back = Document::from_json(&text).unwrap();
        assert_eq!((back.report, back.source), (doc.report, doc.source));
        let bare = serde_json::to_string(&back_report()).unwrap();
        assert_eq!(Document::from_json(&bare).unwrap().source, None);
    }

    fn back_report() -> BulkReport {
        authing_resign::bulk::plan(&["a"], UserIdType::Username, 50).unwrap()
    }
}
