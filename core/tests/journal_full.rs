//! A journal that fails mid-job, as on a full disk: the calls whose `sent` lines could
//! not be written are not made, the job stops with the journal error, every call the
//! server received is in the journal and in the report as the server answered it, and
//! a resume from that journal finishes the job. Its own test binary: it lowers the
//! process's file size limit (`RLIMIT_FSIZE`), which a write meets as `EFBIG`, as a
//! write to a full disk meets `ENOSPC`.
#![cfg(unix)]

mod common;

use std::collections::HashSet;
use std::path::PathBuf;

use authing_resign::bulk::journal::{self, UserState};
use authing_resign::{BulkOptions, Outcome, UserIdType};
use common::{batch_ids, client, start_with_emails};

/// The file size limit while the job runs: the header and about eight calls' lines.
const LIMIT: u64 = 3_000;

/// Runs `f` with the soft file size limit at `limit` bytes, then restores it.
async fn with_file_size_limit<T>(limit: u64, f: impl std::future::Future<Output = T>) -> T {
    // SAFETY: plain libc calls on structs they fill or read. SIGXFSZ's default action
    // kills the process; ignored, a write past the limit fails with EFBIG instead.
    let old = unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        let mut old: libc::rlimit = std::mem::zeroed();
        assert_eq!(libc::getrlimit(libc::RLIMIT_FSIZE, &mut old), 0);
        let low = libc::rlimit {
            rlim_cur: limit,
            rlim_max: old.rlim_max,
        };
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &low), 0);
        old
    };
    let out = f.await;
    // SAFETY: as above.
    unsafe { assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &old), 0) };
    out
}

#[tokio::test]
async fn a_journal_that_fills_up_stops_the_job_and_no_call_goes_unrecorded() {
    let ids: Vec<String> = (0..200)
        .map(|i| format!("full{i:04}@example.com"))
        .collect();
    let emu = start_with_emails(&ids).await;
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("core-journal-full-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("job.journal");
    let options = |journal: &str| BulkOptions {
        chunk_size: 10,
        concurrency: 4,
        journal: Some(dir.join(journal)),
        ..BulkOptions::default()
    };
    let c = client(&emu, |b| b);

    let report = with_file_size_limit(
        LIMIT,
        c.resign_users(&ids, UserIdType::Email, options("job.journal")),
    )
    .await
    .expect("a journal failing mid-job stops the job; it is not an error of the call");

    let stop = report.stopped_early.as_ref().expect("stopped early");
    assert_eq!(stop.code, "journal", "{stop:?}");
    assert!(stop.message.contains("job.journal"), "{stop:?}");
    let outcome = |o: Outcome| -> HashSet<String> {
        let users = report.users.iter().filter(|u| u.outcome == o);
        users.map(|u| u.user_id.clone()).collect()
    };
    let server: HashSet<String> = batch_ids(&emu).into_iter().collect();
    assert!(
        !server.is_empty() && server.len() < ids.len(),
        "{}",
        server.len()
    );
    // Every call the server received was answered with success: reported so, whether
    // or not its `result` reached the journal; no user the server never saw is.
    assert_eq!(outcome(Outcome::Resigned), server);
    assert_eq!(
        outcome(Outcome::NotAttempted).len(),
        ids.len() - server.len()
    );

    // Every call made has its `sent` line on disk: nothing the server may have done is
    // missing from the journal, and what it records as resigned the server did.
    let st = journal::read(&std::fs::read(&path).unwrap()).expect("still readable");
    assert!(std::fs::metadata(&path).unwrap().len() <= LIMIT);
    let recorded: HashSet<String> = st.users.iter().map(|(id, _)| id.clone()).collect();
    assert!(
        server.is_subset(&recorded),
        "a call made without its `sent` line"
    );
    let resigned: HashSet<String> = st.resigned().map(|(id, _)| id.to_string()).collect();
    assert!(resigned.is_subset(&server));
    assert!(st
        .users
        .iter()
        .all(|(_, s)| matches!(s, UserState::Resigned { .. } | UserState::InFlight)));

    // The limit lifted, a resume sends everyone the journal does not record as
    // resigned, and the job is whole.
    let before = batch_ids(&emu).len();
    let resumed = c
        .resign_users(
            &ids,
            UserIdType::Email,
            BulkOptions {
                resume_from: Some(path.clone()),
                ..options("rest.journal")
            },
        )
        .await
        .unwrap();
    assert!(
        resumed.stopped_early.is_none(),
        "{:?}",
        resumed.stopped_early
    );
    assert_eq!(resumed.totals.resigned as usize, ids.len());
    assert_eq!(batch_ids(&emu).len() - before, ids.len() - resigned.len());
    let _ = std::fs::remove_dir_all(&dir);
}
