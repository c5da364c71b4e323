//! The write-ahead journal and `resume_from`, against the emulator: what is on disk,
//! what a resumed job skips and sends again, and what it refuses.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use authing_emulator::{Emulator, Fault, FaultKind};
use authing_resign::bulk::journal::{self, UserState};
use authing_resign::{BulkOptions, BulkProgress, CancellationToken, Error, Outcome, UserIdType};
use common::{batch_ids, calls, client, start_with_emails, BATCH};

fn ids(tag: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{tag}{i:04}@example.com")).collect()
}

async fn emulator(ids: &[String]) -> Arc<Emulator> {
    Arc::new(start_with_emails(ids).await)
}

/// `n` emails tagged `tag`, an emulator that knows them, and a fresh directory.
async fn setup(tag: &str, n: usize) -> (Vec<String>, Arc<Emulator>, PathBuf) {
    let v = ids(tag, n);
    let emu = emulator(&v).await;
    (v, emu, tmp(tag))
}

fn tmp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("core-journal-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn journaled(path: &Path) -> BulkOptions {
    BulkOptions {
        chunk_size: 10,
        journal: Some(path.to_path_buf()),
        ..BulkOptions::default()
    }
}

fn resuming(journal: &Path, from: &Path) -> BulkOptions {
    BulkOptions {
        resume_from: Some(from.to_path_buf()),
        ..journaled(journal)
    }
}

fn read(path: &Path) -> journal::JournalState {
    journal::read(&std::fs::read(path).unwrap()).unwrap()
}

#[tokio::test]
async fn every_outcome_is_on_disk_with_the_place_and_never_the_secret() {
    let (v, emu, dir) = setup("basic", 35).await;
    let mut input = v.clone();
    input.push("nobody@example.com".into()); // unknown: failed
    input.push(" ".into()); // invalid: never sent nor journaled
    let path = dir.join("job.journal");
    let report = client(&emu, |b| b.tenant_id("t1"))
        .resign_users(&input, UserIdType::Email, journaled(&path))
        .await
        .unwrap();
    assert_eq!(report.totals.resigned, 35);
    let st = read(&path);
    let h = st.header.as_ref().unwrap();
    let s = emu.settings();
    assert_eq!(
        (h.place.host.as_str(), h.place.access_key_id.as_str()),
        (emu.url().as_str(), s.access_key_id.as_str())
    );
    assert_eq!(h.place.tenant_id.as_deref(), Some("t1"));
    assert_eq!((h.user_id_type, h.planned), (UserIdType::Email, 36));
    assert!(h.ids_digest.starts_with("sha256:"));
    assert_eq!(st.finished.as_ref(), Some(&report.totals));
    assert!(!st.torn_tail);
    let resigned: HashSet<&str> = st.resigned().map(|(id, _)| id).collect();
    let expected: HashSet<&str> = v.iter().map(String::as_str).collect();
    assert_eq!(resigned, expected);
    assert!(matches!(
        st.users.iter().find(|(id, _)| id == "nobody@example.com").unwrap().1,
        UserState::Settled { ref outcome, .. } if outcome == "failed"
    ));
    assert!(!st.users.iter().any(|(id, _)| id == " "));
    // Request ids match the report's.
    for u in report
        .users
        .iter()
        .filter(|u| u.outcome == Outcome::Resigned)
    {
        let rid = st.resigned().find(|(id, _)| *id == u.user_id).unwrap().1;
        assert_eq!(rid, u.request_id.as_deref());
    }
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains(&s.access_key_secret), "no secret on disk");
}

#[tokio::test]
async fn an_existing_journal_is_never_overwritten_and_nothing_is_sent() {
    let (v, emu, dir) = setup("exists", 3).await;
    let path = dir.join("job.journal");
    std::fs::write(&path, b"precious\n").unwrap();
    let e = client(&emu, |b| b)
        .resign_users(&v, UserIdType::Email, journaled(&path))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Journal { reason, .. } if reason.contains("never overwritten")),
        "{e}"
    );
    assert_eq!(e.code(), "journal");
    assert_eq!(std::fs::read(&path).unwrap(), b"precious\n");
    let e = client(&emu, |b| b)
        .resign_users(&v, UserIdType::Email, journaled(&dir.join("no/such/dir/j")))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Journal { .. }), "{e}");
    assert!(calls(&emu, BATCH).is_empty(), "nothing sent");
}

/// A job cut short (here: cancelled at its first progress event) resumes from its
/// journal: the users it resigned are skipped, the rest are sent, and resuming again
/// sends nothing more.
#[tokio::test]
async fn resume_skips_the_resigned_and_is_safe_twice() {
    let (v, emu, dir) = setup("resume", 60).await;
    // Calls slower than a sync: the first event (after the first call's result is on
    // disk) comes while the second call is in flight.
    common::slow_batches(&emu, 150);
    let first = dir.join("first.journal");
    let cancel = CancellationToken::new();
    let c2 = cancel.clone();
    let options = BulkOptions {
        concurrency: 1,
        cancel: Some(cancel),
        on_progress: Some(Arc::new(move |_: &BulkProgress| c2.cancel())),
        ..journaled(&first)
    };
    let client = client(&emu, |b| b);
    let r1 = client
        .resign_users(&v, UserIdType::Email, options)
        .await
        .unwrap();
    let (resigned, rest) = (r1.totals.resigned, r1.totals.not_attempted);
    // Usually 10 or 20; more when a sync takes longer than a call (a busy disk: the
    // first sync also syncs the directory), which changes nothing below.
    assert!(
        resigned % 10 == 0 && (10..60).contains(&resigned) && resigned + rest == 60,
        "{:?}",
        r1.totals
    );
    let done_first: HashSet<String> = read(&first)
        .resigned()
        .map(|(i, _)| i.to_string())
        .collect();
    assert_eq!(done_first.len() as u64, resigned);
    emu.clear_faults();
    emu.clear_journal();

    let second = dir.join("second.journal");
    let r2 = client
        .resign_users(&v, UserIdType::Email, resuming(&second, &first))
        .await
        .unwrap();
    assert!(r2.all_resigned(), "{:?}", r2.totals);
    let sent2 = batch_ids(&emu);
    assert_eq!(sent2.len() as u64, rest);
    assert!(
        sent2.iter().all(|id| !done_first.contains(id)),
        "skipped users are not sent"
    );
    for u in &r2.users {
        assert_eq!(u.earlier_run, done_first.contains(&u.user_id), "{u:?}");
    }
    // The second journal stands alone: it carries the first run's users.
    assert_eq!(read(&second).resigned().count(), 60);

    // Resuming the finished job again (into the same journal) sends nothing.
    emu.clear_journal();
    let r3 = client
        .resign_users(&v, UserIdType::Email, resuming(&second, &second))
        .await
        .unwrap();
    assert!(r3.all_resigned() && r3.users.iter().all(|u| u.earlier_run));
    assert!(calls(&emu, BATCH).is_empty());
    assert_eq!(read(&second).runs, 2);
}

/// A run killed with calls in flight leaves `sent` records without a `result` (and
/// perhaps a torn line): those users are sent again, the resigned ones are not.
#[tokio::test]
async fn calls_in_flight_at_a_crash_are_sent_again_and_a_torn_line_is_cut() {
    let (v, emu, dir) = setup("crash", 30).await;
    let full = dir.join("full.journal");
    let client = client(&emu, |b| b);
    client
        .resign_users(&v, UserIdType::Email, journaled(&full))
        .await
        .unwrap();
    // What a crash while the last call (ids 20..30) was in flight leaves on disk.
    let text = std::fs::read_to_string(&full).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let last_result = lines
        .iter()
        .rposition(|l| l.contains("\"rec\":\"result\""))
        .unwrap();
    let mut crashed: String = lines[..last_result]
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    crashed.push_str(&lines[last_result][..20]); // torn
    let path = dir.join("crashed.journal");
    std::fs::write(&path, &crashed).unwrap();
    let st = read(&path);
    assert!(st.torn_tail);
    let in_flight: HashSet<String> = st.in_flight().map(str::to_string).collect();
    assert_eq!(in_flight.len(), 10);

    emu.clear_journal();
    let r = client
        .resign_users(&v, UserIdType::Email, resuming(&path, &path))
        .await
        .unwrap();
    assert!(r.all_resigned());
    let again: HashSet<String> = batch_ids(&emu).into_iter().collect();
    assert_eq!(
        again, in_flight,
        "only the users of the call in flight are sent again"
    );
    // Continued in place: the torn line was cut, the file reads whole.
    let st = read(&path);
    assert!(!st.torn_tail && st.runs == 2);
    assert_eq!(st.resigned().count(), 30);
}

#[tokio::test]
async fn another_place_or_id_type_is_refused_with_what_differs() {
    let (v, emu, dir) = setup("place", 5).await;
    let other = emulator(&v).await;
    let first = dir.join("first.journal");
    client(&emu, |b| b)
        .resign_users(&v, UserIdType::Email, journaled(&first))
        .await
        .unwrap();

    let cases: Vec<(authing_resign::ManagementClient, UserIdType, &str, String)> = vec![
        (
            client(&other, |b| b),
            UserIdType::Email,
            "host",
            other.url(),
        ),
        (
            client(&emu, |b| b.tenant_id("t9")),
            UserIdType::Email,
            "tenant_id",
            "t9".into(),
        ),
        (
            client(&emu, |b| b),
            UserIdType::Username,
            "user_id_type",
            "username".into(),
        ),
    ];
    for (c, id_type, field, now) in &cases {
        let e = c
            .resign_users(
                &v,
                *id_type,
                BulkOptions {
                    resume_from: Some(first.clone()),
                    ..BulkOptions::default()
                },
            )
            .await
            .unwrap_err();
        match &e {
            Error::ResumeMismatch {
                field: f, now: n, ..
            } => {
                assert_eq!((f.as_str(), n), (*field, now), "{e}");
            }
            _ => panic!("{e:?}"),
        }
        assert_eq!(e.code(), "resume_mismatch");
    }
    assert!(calls(&other, BATCH).is_empty());

    // Forced: another host is accepted (its users skipped), another id type never.
    let forced = BulkOptions {
        resume_from: Some(first.clone()),
        resume_force: true,
        ..BulkOptions::default()
    };
    let r = client(&other, |b| b)
        .resign_users(&v, UserIdType::Email, forced.clone())
        .await
        .unwrap();
    assert!(r.users.iter().all(|u| u.earlier_run));
    let e = client(&emu, |b| b)
        .resign_users(&v, UserIdType::Username, forced)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::ResumeMismatch { .. }));
}

#[tokio::test]
async fn a_report_with_its_source_resumes_and_a_dry_run_checks_the_same() {
    let (v, emu, dir) = setup("report", 12).await;
    let client = client(&emu, |b| b);
    let r1 = client
        .resign_users(&v[..5], UserIdType::Email, BulkOptions::default())
        .await
        .unwrap();
    let mut doc = serde_json::to_value(&r1).unwrap();
    doc["source"] = serde_json::to_value(client.job_place()).unwrap();
    let path = dir.join("r.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    emu.clear_journal();

    let plan = client
        .resign_users(
            &v,
            UserIdType::Email,
            BulkOptions {
                dry_run: true,
                resume_from: Some(path.clone()),
                ..BulkOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!((plan.totals.resigned, plan.totals.not_attempted), (5, 7));
    assert_eq!(plan.chunks.concat(), v[5..].to_vec());
    assert!(calls(&emu, BATCH).is_empty(), "a dry run sends nothing");

    // The bare core report records no place: refused unless forced.
    let bare = dir.join("bare.json");
    std::fs::write(&bare, serde_json::to_vec(&r1).unwrap()).unwrap();
    let e = client
        .resign_users(
            &v,
            UserIdType::Email,
            BulkOptions {
                dry_run: true,
                resume_from: Some(bare),
                ..BulkOptions::default()
            },
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("(not recorded)"), "{e}");

    let r2 = client
        .resign_users(
            &v,
            UserIdType::Email,
            BulkOptions {
                resume_from: Some(path),
                ..BulkOptions::default()
            },
        )
        .await
        .unwrap();
    assert!(r2.all_resigned());
    assert_eq!(batch_ids(&emu), v[5..].to_vec());
}

/// The writer group-commits: with a delay on every call, 16 calls in flight finish
/// together and their records share syncs; the job stays exact.
#[tokio::test]
async fn concurrent_calls_are_all_recorded() {
    let (v, emu, dir) = setup("conc", 400).await;
    common::slow_batches(&emu, 20);
    let path = dir.join("j");
    let r = client(&emu, |b| b)
        .resign_users(
            &v,
            UserIdType::Email,
            BulkOptions {
                concurrency: 16,
                ..journaled(&path)
            },
        )
        .await
        .unwrap();
    assert!(r.all_resigned());
    let st = read(&path);
    assert_eq!(st.resigned().count(), 400);
    assert!(st
        .users
        .iter()
        .all(|(_, s)| matches!(s, UserState::Resigned { .. })));
}

/// A chunk whose call may have been acted on (its answer lost, the retry refused with a
/// 400 that splits it) keeps its users `unknown`, in the report as in the journal, until
/// a call of theirs succeeds: a half refused later (here with a 401 that stops the job)
/// or never sent because the job stopped proves nothing about the first call, which did
/// resign them. Neither is `failed` ("the server said no") nor `not_attempted`.
#[tokio::test]
async fn the_halves_of_a_call_that_may_have_acted_stay_unknown_when_refused_or_unsent() {
    let (v, emu, dir) = setup("splitacted", 2).await;
    for kind in [
        FaultKind::ActThenDrop,
        common::envelope(400, None),
        common::envelope(401, None),
    ] {
        emu.add_fault(Fault::once(BATCH, kind));
    }
    let path = dir.join("job.journal");
    let options = BulkOptions {
        chunk_size: 2,
        concurrency: 1,
        ..journaled(&path)
    };
    let report = client(&emu, |b| b)
        .resign_users(&v, UserIdType::Email, options)
        .await
        .unwrap();
    // The pair (acted on, answer lost), its retry (400: split), the first half (401:
    // stop); the second half is never sent.
    let sizes: Vec<usize> = calls(&emu, BATCH)
        .iter()
        .map(|e| e.body["userIds"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [2, 2, 1]);
    let stop = report
        .stopped_early
        .as_ref()
        .expect("the 401 stops the job");
    assert_eq!(stop.status_code, Some(401));
    let st = read(&path);
    for u in &report.users {
        let seen = emu.find_user(&u.user_id, "email").unwrap();
        assert_eq!(seen.status, "Resigned", "the first call did resign them");
        assert_eq!(u.outcome, Outcome::Unknown, "{u:?}");
        let (_, state) = st.users.iter().find(|(id, _)| *id == u.user_id).unwrap();
        assert!(
            matches!(state, UserState::Settled { outcome, .. } if outcome == "unknown"),
            "{state:?}"
        );
    }
    assert_eq!(report.totals.unknown, 2);
    // The first half's error is its own (as a retry's refusal is), the second half's
    // the split call's.
    let codes: Vec<Option<u16>> = report
        .users
        .iter()
        .map(|u| u.error.as_ref().unwrap().status_code)
        .collect();
    assert_eq!(codes, [Some(401), Some(400)]);
}

/// Progress never runs ahead of the journal: whenever `on_progress` reports users
/// resigned, the file already records at least that many, with calls overlapping so
/// that results wait for shared syncs. (A test cannot see a sync: the job counts a call
/// once `JournalWriter::synced` covers its result, and that waiting is unit-tested.)
#[tokio::test]
async fn progress_never_reports_a_user_the_journal_does_not_hold() {
    let (v, emu, dir) = setup("ahead", 120).await;
    common::slow_batches(&emu, 5);
    let path = dir.join("job.journal");
    let seen: Arc<std::sync::Mutex<Vec<(u64, usize)>>> = Arc::default();
    let (seen2, path2) = (Arc::clone(&seen), path.clone());
    let options = BulkOptions {
        concurrency: 8,
        on_progress: Some(Arc::new(move |p: &BulkProgress| {
            let on_disk = read(&path2).resigned().count();
            seen2.lock().unwrap().push((p.totals.resigned, on_disk));
        })),
        ..journaled(&path)
    };
    let report = client(&emu, |b| b)
        .resign_users(&v, UserIdType::Email, options)
        .await
        .unwrap();
    assert!(report.all_resigned());
    let seen = seen.lock().unwrap();
    assert!(seen.len() > 1, "{seen:?}");
    assert!(
        seen.iter()
            .all(|&(reported, on_disk)| reported as usize <= on_disk),
        "{seen:?}"
    );
    assert_eq!(seen.last().map(|s| s.0), Some(120));
}
