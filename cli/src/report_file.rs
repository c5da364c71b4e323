//! `--report PATH.json|PATH.csv`: the report on disk.

use std::path::Path;

use authing_resign::BulkReport;

use crate::exit::{usage, CliError};

/// The format a report path asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The full report, as `resign_users` returns it (readable by `--resume`).
    Json,
    /// One row per input id.
    Csv,
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
pub fn write(path: &Path, format: Format, report: &BulkReport) -> Result<(), String> {
    let bytes = match format {
        Format::Json => {
            let mut v = serde_json::to_vec_pretty(report).map_err(|e| e.to_string())?;
            v.push(b'\n');
            v
        }
        Format::Csv => to_csv(report).map_err(|e| e.to_string())?,
    };
    std::fs::write(path, bytes)
        .map_err(|e| format!("cannot write the report to {}: {e}", path.display()))
}

/// `row,user_id,outcome,error_code,status_code,api_code,request_id,message`; `row` is
/// the 1-based position in the input.
pub fn to_csv(report: &BulkReport) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "row",
        "user_id",
        "outcome",
        "error_code",
        "status_code",
        "api_code",
        "request_id",
        "message",
    ])?;
    for (i, u) in report.users.iter().enumerate() {
        let e = u.error.as_ref();
        w.write_record([
            (i + 1).to_string(),
            u.user_id.clone(),
            u.outcome.as_str().to_string(),
            e.map(|e| e.code.clone()).unwrap_or_default(),
            e.and_then(|e| e.status_code)
                .map(|c| c.to_string())
                .unwrap_or_default(),
            e.and_then(|e| e.api_code)
                .map(|c| c.to_string())
                .unwrap_or_default(),
            u.request_id.clone().unwrap_or_default(),
            e.map(|e| e.message.clone()).unwrap_or_default(),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// Reads an earlier JSON report (for `--resume`).
pub fn read_json(path: &Path) -> Result<BulkReport, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| usage(format!("cannot read --resume {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        usage(format!(
            "--resume {}: not a JSON report written by --report PATH.json: {e}",
            path.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
