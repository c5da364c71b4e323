//! `resign_users` against the emulator: chunking, duplicates, invalid ids, splitting
//! out unknown ids, progress, dry run, and the shared 500-id scenario.

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use authing_emulator::{JournalEntry, NewUser};
use authing_resign::bulk::MAX_JOB_DEADLINE;
use authing_resign::{BulkOptions, BulkProgress, Error, Outcome, UserIdType};
use common::{calls, client, start_with, BATCH};

fn emails(prefix: &str, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("{prefix}{i:05}@example.com"))
        .collect()
}

fn seed(ids: &[String]) -> Vec<NewUser> {
    ids.iter()
        .map(|e| NewUser::with_email(e.as_str()))
        .collect()
}

/// The ids a journaled batch call named.
fn sent_ids(e: &JournalEntry) -> Vec<String> {
    e.body["userIds"]
        .as_array()
        .expect("userIds array")
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn opts(chunk_size: usize, concurrency: usize) -> BulkOptions {
    BulkOptions {
        chunk_size,
        concurrency,
        ..BulkOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chunk_boundaries_send_every_id_once_in_chunks_of_at_most_50() {
    let all = emails("c", 1001);
    let emu = start_with(seed(&all), |_| {}).await;
    let client = client(&emu, |b| b);
    for n in [1usize, 50, 51, 100, 1001] {
        emu.reset();
        let ids = &all[..n];
        let report = client
            .resign_users(ids, UserIdType::Email, opts(50, 4))
            .await
            .unwrap();
        let journal = calls(&emu, BATCH);
        assert_eq!(journal.len(), n.div_ceil(50), "{n} ids");
        assert_eq!(report.http_calls, journal.len() as u64);
        assert!(journal
            .iter()
            .all(|e| e.status_code == 200 && sent_ids(e).len() <= 50));
        assert!(journal.iter().all(|e| e.body["userIdType"] == "email"));
        let mut sent: Vec<String> = journal.iter().flat_map(sent_ids).collect();
        sent.sort();
        assert_eq!(sent, ids.to_vec(), "every id sent exactly once");
        assert_eq!(report.totals.resigned, n as u64);
        assert!(report.all_resigned());
        let chunk_sizes: Vec<usize> = report.chunks.iter().map(Vec::len).collect();
        assert_eq!(chunk_sizes.iter().sum::<usize>(), n);
        assert!(chunk_sizes.iter().all(|&s| s == 50) || chunk_sizes.last() == Some(&(n % 50)));
        let journal_ids: HashSet<String> = journal.iter().map(|e| e.request_id.clone()).collect();
        for u in &report.users {
            assert!(
                journal_ids.contains(u.request_id.as_ref().unwrap()),
                "request id from a real call"
            );
        }
        assert_eq!(
            emu.find_user(&ids[n - 1], "email").unwrap().status,
            "Resigned"
        );
    }
}

#[tokio::test]
async fn smaller_chunk_size_is_honoured() {
    let ids = emails("s", 23);
    let emu = start_with(seed(&ids), |_| {}).await;
    let report = client(&emu, |b| b)
        .resign_users(&ids, UserIdType::Email, opts(5, 1))
        .await
        .unwrap();
    let sizes: Vec<usize> = calls(&emu, BATCH)
        .iter()
        .map(|e| sent_ids(e).len())
        .collect();
    assert_eq!(sizes, vec![5, 5, 5, 5, 3]);
    assert_eq!(report.totals.resigned, 23);
}

#[tokio::test]
async fn duplicates_and_invalid_ids_are_reported_and_never_sent() {
    let good = emails("d", 4);
    let input = vec![
        good[0].clone(),
        String::new(),
        good[1].clone(),
        good[0].clone(),
        " lead@example.com".to_string(),
        good[2].clone(),
        "ctl\u{1}@example.com".to_string(),
        good[1].clone(),
        good[3].clone(),
    ];
    let emu = start_with(seed(&good), |_| {}).await;
    let report = client(&emu, |b| b)
        .resign_users(&input, UserIdType::Email, opts(50, 2))
        .await
        .unwrap();
    let outcomes: Vec<Outcome> = report.users.iter().map(|u| u.outcome).collect();
    use Outcome::*;
    assert_eq!(
        outcomes,
        vec![
            Resigned, Invalid, Resigned, Duplicate, Invalid, Resigned, Invalid, Duplicate, Resigned
        ]
    );
    let ids: Vec<&str> = report.users.iter().map(|u| u.user_id.as_str()).collect();
    assert_eq!(
        ids,
        input.iter().map(String::as_str).collect::<Vec<_>>(),
        "input order, ids as given"
    );
    let dup = report.users[3].error.as_ref().unwrap();
    assert_eq!(dup.code, "invalid_argument");
    assert!(
        dup.message.contains("userIds[3]") && dup.message.contains("duplicate of userIds[0]"),
        "{}",
        dup.message
    );
    let inv = report.users[1].error.as_ref().unwrap();
    assert!(
        inv.message.contains("userIds[1]") && inv.message.contains("empty"),
        "{}",
        inv.message
    );
    assert!(report.users[6]
        .error
        .as_ref()
        .unwrap()
        .message
        .contains("control characters"));
    let sent: Vec<String> = calls(&emu, BATCH).iter().flat_map(sent_ids).collect();
    assert_eq!(sent, good, "each valid id sent once, invalid ones never");
    assert_eq!(report.totals.duplicate, 2);
    assert_eq!(report.totals.invalid, 3);
}

#[tokio::test]
async fn an_unknown_id_is_isolated_by_splitting_the_chunk() {
    let mut ids = emails("k", 50);
    let ghost = "ghost@example.com".to_string();
    let emu = start_with(seed(&ids), |_| {}).await;
    ids[17] = ghost.clone();
    let report = client(&emu, |b| b)
        .resign_users(&ids, UserIdType::Email, opts(50, 1))
        .await
        .unwrap();

    let journal = calls(&emu, BATCH);
    // The whole chunk is rejected first, then halves, down to the single unknown id.
    assert_eq!(sent_ids(&journal[0]).len(), 50);
    assert_eq!(
        (journal[0].status_code, journal[0].api_code),
        (404, Some(2004))
    );
    let last_failure = journal.iter().rfind(|e| e.status_code != 200).unwrap();
    assert_eq!(sent_ids(last_failure), vec![ghost.clone()]);
    assert!(journal
        .iter()
        .filter(|e| e.status_code != 200)
        .all(|e| sent_ids(e).contains(&ghost)));
    // log2(50) levels at most two calls each, plus the first: far fewer than 50 single calls.
    assert!(journal.len() <= 13, "{} calls", journal.len());
    assert_eq!(report.http_calls, journal.len() as u64);

    let failed = &report.users[17];
    assert_eq!(failed.outcome, Outcome::Failed);
    let e = failed.error.as_ref().unwrap();
    assert_eq!(
        (e.code.as_str(), e.status_code, e.api_code),
        ("api_error", Some(404), Some(2004))
    );
    assert_eq!(
        failed.request_id.as_deref(),
        Some(last_failure.request_id.as_str())
    );
    assert_eq!(report.totals.resigned, 49);
    assert_eq!(report.totals.failed, 1);
    assert!(
        report.stopped_early.is_none(),
        "an unknown id does not stop the job"
    );
    for (i, u) in report.users.iter().enumerate().filter(|(i, _)| *i != 17) {
        assert_eq!(u.outcome, Outcome::Resigned, "{i}");
        let ok = journal
            .iter()
            .find(|e| e.request_id == *u.request_id.as_ref().unwrap())
            .unwrap();
        assert_eq!(ok.status_code, 200);
        assert!(
            sent_ids(ok).contains(&u.user_id),
            "the deciding call named the user"
        );
    }
}

/// Unknown ids (404 / apiCode 2004) are always about one user: neither adjacent unknown
/// ids at the head of a chunk nor a chunk of nothing but unknown ids stop the job.
#[tokio::test]
async fn unknown_ids_first_in_a_chunk_or_everywhere_are_each_isolated() {
    let known = emails("h", 20);
    let emu = start_with(seed(&known), |_| {}).await;
    let ghosts = emails("ghost", 12);
    let mut input = vec![ghosts[0].clone(), ghosts[1].clone()];
    input.extend(known.iter().cloned());
    input.extend(ghosts[2..].iter().cloned());
    let report = client(&emu, |b| b)
        .resign_users(&input, UserIdType::Email, opts(22, 1))
        .await
        .unwrap();
    assert!(report.stopped_early.is_none(), "{:?}", report.stopped_early);
    let failed: Vec<&str> = report
        .users
        .iter()
        .filter(|u| u.outcome == Outcome::Failed)
        .map(|u| u.user_id.as_str())
        .collect();
    assert_eq!(
        failed,
        ghosts.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(report.totals.resigned, 20);
}

#[tokio::test]
async fn progress_events_follow_each_chunk_and_end_at_total() {
    let mut ids = emails("p", 120);
    ids.push("bad id\n".into());
    ids.push(ids[0].clone());
    let emu = start_with(seed(&ids[..120]), |_| {}).await;
    let events: Arc<Mutex<Vec<BulkProgress>>> = Arc::default();
    let sink = events.clone();
    let options = BulkOptions {
        on_progress: Some(Arc::new(move |p: &BulkProgress| {
            sink.lock().unwrap().push(p.clone())
        })),
        ..opts(50, 1)
    };
    let report = client(&emu, |b| b)
        .resign_users(&ids, UserIdType::Email, options)
        .await
        .unwrap();
    let events = events.lock().unwrap().clone();
    let done: Vec<u64> = events.iter().map(|p| p.done).collect();
    // Invalid and duplicate ids count as done from the first event on.
    assert_eq!(done, vec![52, 102, 122]);
    assert!(events
        .iter()
        .all(|p| p.total == 122 && p.totals.resigned + 2 == p.done));
    assert_eq!(events.last().unwrap().totals, report.totals);
}

#[tokio::test]
async fn dry_run_returns_the_plan_without_any_http_call() {
    let ids = emails("r", 120);
    let emu = start_with(seed(&ids), |_| {}).await;
    let mut input = ids.clone();
    input.push(String::new());
    input.push(ids[3].clone());
    let options = BulkOptions {
        dry_run: true,
        ..opts(40, 4)
    };
    let report = client(&emu, |b| b)
        .resign_users(&input, UserIdType::Email, options)
        .await
        .unwrap();
    assert!(report.dry_run);
    assert_eq!(emu.stats().requests, 0);
    assert!(emu.journal().is_empty());
    assert_eq!(report.http_calls, 0);
    assert_eq!(
        report.chunks.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![40, 40, 40]
    );
    assert_eq!(
        (
            report.totals.not_attempted,
            report.totals.invalid,
            report.totals.duplicate
        ),
        (120, 1, 1)
    );
    assert!(report
        .users
        .iter()
        .filter(|u| u.outcome == Outcome::NotAttempted)
        .all(|u| u.error.is_none()));
    assert_eq!(emu.find_user(&ids[0], "email").unwrap().status, "Activated");
    // The same plan without a client.
    let plan = authing_resign::bulk::plan(&input, UserIdType::Email, 40).unwrap();
    assert_eq!((plan.users, plan.chunks), (report.users, report.chunks));
}

#[tokio::test]
async fn bad_options_are_typed_errors_before_any_call() {
    let emu = start_with(Vec::new(), |_| {}).await;
    let c = client(&emu, |b| b);
    let deadline = |d: Duration| BulkOptions {
        deadline: Some(d),
        ..BulkOptions::default()
    };
    for (options, field) in [
        (opts(0, 1), "chunk_size"),
        (opts(51, 1), "chunk_size"),
        (opts(50, 0), "concurrency"),
        // Beyond the 30-day cap, up to values that would overflow `now + deadline`.
        (
            deadline(MAX_JOB_DEADLINE + Duration::from_secs(1)),
            "deadline",
        ),
        (deadline(Duration::from_secs(u64::MAX)), "deadline"),
        (deadline(Duration::MAX), "deadline"),
    ] {
        match c
            .resign_users(&["a@example.com"], UserIdType::Email, options)
            .await
        {
            Err(Error::InvalidArgument { field: f, .. }) => assert_eq!(f, field),
            other => panic!("expected invalid {field}, got {other:?}"),
        }
    }
    assert_eq!(emu.stats().requests, 0);
    let report = c
        .resign_users(
            &["a@example.com"],
            UserIdType::Email,
            deadline(MAX_JOB_DEADLINE),
        )
        .await
        .expect("exactly 30 days is accepted");
    assert_eq!(report.users.len(), 1);
    let empty: [&str; 0] = [];
    let report = c
        .resign_users(&empty, UserIdType::Email, BulkOptions::default())
        .await
        .unwrap();
    assert_eq!((report.users.len(), report.http_calls), (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_500_id_scenario_gives_the_expected_outcome_per_input() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/bulk-500.json");
    let scenario: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let users: Vec<NewUser> = serde_json::from_value(scenario["seedUsers"].clone()).unwrap();
    let input: Vec<String> = serde_json::from_value(scenario["input"].clone()).unwrap();
    let expected: Vec<String> = serde_json::from_value(scenario["expected"].clone()).unwrap();
    let emu = start_with(users, |_| {}).await;
    let report = client(&emu, |b| b)
        .resign_users(&input, UserIdType::Email, BulkOptions::default())
        .await
        .unwrap();
    let got: Vec<&str> = report.users.iter().map(|u| u.outcome.as_str()).collect();
    assert_eq!(got, expected.iter().map(String::as_str).collect::<Vec<_>>());
    let totals = serde_json::to_value(&report.totals).unwrap();
    assert_eq!(totals, scenario["expectedTotals"]);
    for u in report.users.iter().filter(|u| u.outcome == Outcome::Failed) {
        let e = u.error.as_ref().unwrap();
        assert_eq!(
            e.status_code,
            scenario["failedStatusCode"].as_u64().map(|c| c as u16)
        );
        assert_eq!(
            e.api_code,
            scenario["failedApiCode"].as_u64().map(|c| c as u32)
        );
        assert!(u.request_id.is_some());
    }
    assert_eq!(report.http_calls, calls(&emu, BATCH).len() as u64);
    // The report is plain JSON with snake_case outcomes.
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["users"][0]["outcome"], expected[0].as_str());
    assert_eq!(json["user_id_type"], "email");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owned_entry_reports_as_the_borrowing_one() {
    let seeded = emails("o", 60);
    let emu = start_with(seed(&seeded), |_| {}).await;
    let client = client(&emu, |b| b);
    let mut ids = seeded.clone();
    ids.extend(["o00001@example.com", " bad", "", "nobody@example.com"].map(String::from));
    let owned = client
        .resign_users_compact_owned(ids.clone(), UserIdType::Email, opts(50, 2), None)
        .await
        .unwrap();
    assert_eq!(calls(&emu, BATCH).len(), owned.http_calls as usize);
    emu.reset();
    let borrowed = client
        .resign_users_compact(&ids, UserIdType::Email, opts(50, 2), None)
        .await
        .unwrap();
    let lines = |r: &authing_resign::CompactReport| -> Vec<(String, Outcome)> {
        r.users()
            .map(|u| (u.user_id.to_string(), u.outcome))
            .collect()
    };
    assert_eq!(lines(&owned), lines(&borrowed));
    assert_eq!(owned.totals, borrowed.totals);
    assert_eq!(
        owned.chunks().collect::<Vec<_>>(),
        borrowed.chunks().collect::<Vec<_>>()
    );
    assert_eq!(owned.totals.resigned, 60);
    assert_eq!((owned.totals.duplicate, owned.totals.invalid), (1, 2));
}
