//! The CLI's reading of an earlier report for `--resume` (its `report_file` and
//! `resume` modules, included by path): arbitrary text, and real reports with
//! arbitrary ids, outcomes and earlier-run flags. Never a panic; a report it writes
//! reads back the same; a resumed run covers every input id once, in order, and
//! never counts as resigned an id the earlier report did not resign.
#![no_main]
#![allow(dead_code)]

#[path = "../../cli/src/csv_report.rs"]
mod csv_report;
#[path = "../../cli/src/exit.rs"]
mod exit;
#[path = "../../cli/src/report_file.rs"]
mod report_file;
#[path = "../../cli/src/resume.rs"]
mod resume;
#[path = "../../cli/src/source.rs"]
mod source;
#[path = "../../cli/src/text.rs"]
mod text;

use arbitrary::Arbitrary;
use authing_resign::{bulk, Outcome, UserIdType};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Input {
    Text(String),
    Report { earlier: Vec<(String, bool)>, now: Vec<String>, id_type: u8, earlier_run: Vec<bool> },
}

fuzz_target!(|input: Input| {
    match input {
        Input::Text(text) => {
            if let Ok(doc) = report_file::Document::from_json(&text) {
                resume_over(&doc.report, &doc.report.users.iter().map(|u| u.user_id.clone()).collect::<Vec<_>>());
                let _ = csv_report::to_csv(&doc.report, &doc.earlier_run);
            }
        }
        Input::Report { earlier, now, id_type, earlier_run } => {
            let id_type = UserIdType::ALL[usize::from(id_type) % UserIdType::ALL.len()];
            let ids: Vec<&str> = earlier.iter().map(|(id, _)| id.as_str()).collect();
            let Ok(mut report) = bulk::plan(&ids, id_type, 50) else { return };
            // Mark some planned users resigned, as a finished run would.
            for (user, (_, resigned)) in report.users.iter_mut().zip(&earlier) {
                if *resigned && user.outcome == Outcome::NotAttempted {
                    user.outcome = Outcome::Resigned;
                    user.request_id = Some("req".into());
                }
            }
            let doc = report_file::Document { report, source: None, earlier_run: earlier_run.clone() };
            let text = serde_json::to_string(&doc.to_json().expect("to JSON")).expect("serialize");
            let back = report_file::Document::from_json(&text).expect("a written report reads back");
            assert_eq!(back.report, doc.report);
            resume_over(&back.report, &now);
        }
    }
});

/// Resumes `earlier` over the input `ids` with a dry run of what remains.
fn resume_over(earlier: &authing_resign::BulkReport, ids: &[String]) {
    let Ok(done) = resume::Done::from_report(earlier, earlier.user_id_type) else { return };
    let remaining = done.remaining(ids);
    assert_eq!(done.skipped(ids) + remaining.len(), ids.len());
    let Ok(run) = bulk::plan(&remaining, earlier.user_id_type, 50) else { return };
    let (merged, flags) = done.merge(ids, run);
    assert_eq!(merged.users.len(), ids.len());
    assert_eq!(flags.len(), ids.len());
    for ((user, id), earlier_flag) in merged.users.iter().zip(ids).zip(&flags) {
        assert_eq!(&user.user_id, id);
        if *earlier_flag {
            assert!(earlier.users.iter().any(|u| &u.user_id == id && u.outcome == Outcome::Resigned));
        }
    }
}
