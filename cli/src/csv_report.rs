//! The CSV report: one row per input id, safe to open in a spreadsheet.

use std::io::Write;

use authing_resign::CompactReport;

/// `row,user_id,outcome,error_code,status_code,api_code,request_id,message,earlier_run,
/// verified,status,verify_note`; `row` is the 1-based position in the input,
/// `earlier_run` is `true` for users the earlier report given to `--resume` had
/// resigned (their request id is that run's); `verified` is `true`, `false` or empty
/// (not checked), `status` the status `--verify`/`--verify-only` saw.
/// Text cells that a spreadsheet would run as a formula get a leading `'` (see
/// [`neutralize`]); the JSON report keeps every value exact.
pub fn write_csv(report: &CompactReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "row",
        "user_id",
        "outcome",
        "error_code",
        "status_code",
        "api_code",
        "request_id",
        "message",
        "earlier_run",
        "verified",
        "status",
        "verify_note",
    ])?;
    for (i, u) in report.users().enumerate() {
        let e = u.error;
        let number = |n: Option<String>| n.unwrap_or_default();
        w.write_record([
            (i + 1).to_string(),
            neutralize(u.user_id),
            u.outcome.as_str().to_string(),
            e.map(|e| neutralize(&e.code)).unwrap_or_default(),
            number(e.and_then(|e| e.status_code).map(|c| c.to_string())),
            number(e.and_then(|e| e.api_code).map(|c| c.to_string())),
            u.request_id.map(neutralize).unwrap_or_default(),
            e.map(|e| neutralize(&e.message)).unwrap_or_default(),
            if u.earlier_run {
                "true".into()
            } else {
                String::new()
            },
            u.verified.map(|v| v.to_string()).unwrap_or_default(),
            u.status.map(neutralize).unwrap_or_default(),
            u.verify_note.map(neutralize).unwrap_or_default(),
        ])?;
    }
    w.flush()
}

/// A text cell as a spreadsheet will not evaluate it: a value starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return (what Excel, LibreOffice and Google Sheets
/// treat as a formula) gets a leading `'` (OWASP's CSV-injection advice). Phone
/// numbers such as `+8613800000000` are therefore written `'+8613800000000`.
pub fn neutralize(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralized() {
        for cell in ["=1+1", "+86138", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralize(cell), format!("'{cell}"));
        }
        for cell in ["a=1", "ada@x.io", "", "'quoted", "1-2"] {
            assert_eq!(neutralize(cell), cell);
        }
    }
}
