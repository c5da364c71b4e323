//! The report invariant on randomized inputs: one entry per input id, in order, with
//! counts that add up — for the plan alone (many cases) and for real runs against the
//! emulator with unknown, invalid and repeated ids mixed in (fewer cases).

mod common;

use std::collections::HashSet;
use std::sync::OnceLock;

use authing_emulator::{Emulator, NewUser};
use authing_resign::{bulk, BulkOptions, BulkReport, BulkTotals, Outcome, UserIdType};
use proptest::prelude::*;

const KNOWN: usize = 60;
const UNKNOWN: usize = 8;
const INVALID: [&str; 4] = [
    "",
    " lead@example.com",
    "tab\tin@example.com",
    "nul\u{0}@example.com",
];

/// Pool index → id: known users, then unknown ones, then invalid ids.
fn id_of(i: usize) -> String {
    if i < KNOWN {
        format!("known{i:03}@example.com")
    } else if i < KNOWN + UNKNOWN {
        format!("ghost{i:03}@example.com")
    } else {
        INVALID[(i - KNOWN - UNKNOWN) % INVALID.len()].to_string()
    }
}

const POOL: usize = KNOWN + UNKNOWN + INVALID.len();

/// The outcome each input id must get when sent to an emulator that knows `KNOWN` users.
fn expected(picks: &[usize]) -> Vec<Outcome> {
    let mut seen = HashSet::new();
    picks
        .iter()
        .map(|&p| {
            if p >= KNOWN + UNKNOWN {
                Outcome::Invalid
            } else if !seen.insert(p) {
                Outcome::Duplicate
            } else if p >= KNOWN {
                Outcome::Failed
            } else {
                Outcome::Resigned
            }
        })
        .collect()
}

fn check_shape(report: &BulkReport, input: &[String]) {
    assert_eq!(report.users.len(), input.len());
    assert_eq!(
        report.totals.sum(),
        input.len() as u64,
        "counts add up to the input"
    );
    assert_eq!(report.totals, BulkTotals::of(&report.users));
    for (u, id) in report.users.iter().zip(input) {
        assert_eq!(&u.user_id, id, "input order");
    }
    let planned = report.chunks.iter().map(Vec::len).sum::<usize>() as u64;
    assert_eq!(
        planned,
        input.len() as u64 - report.totals.invalid - report.totals.duplicate
    );
}

fn runtime_and_emulator() -> &'static (tokio::runtime::Runtime, Emulator) {
    static SHARED: OnceLock<(tokio::runtime::Runtime, Emulator)> = OnceLock::new();
    SHARED.get_or_init(|| {
        let users = (0..KNOWN).map(|i| NewUser::with_email(id_of(i)));
        common::runtime_with(users.collect(), |_| {})
    })
}

proptest! {
    #[test]
    fn plan_counts_always_add_up(picks in prop::collection::vec(0..POOL, 0..400), chunk in 1usize..=50) {
        let input: Vec<String> = picks.iter().map(|&p| id_of(p)).collect();
        let report = bulk::plan(&input, UserIdType::Email, chunk).unwrap();
        check_shape(&report, &input);
        prop_assert!(report.chunks.iter().all(|c| !c.is_empty() && c.len() <= chunk));
        let outcomes: Vec<Outcome> = report.users.iter().map(|u| u.outcome).collect();
        let want: Vec<Outcome> = expected(&picks)
            .into_iter()
            .map(|o| if matches!(o, Outcome::Resigned | Outcome::Failed) { Outcome::NotAttempted } else { o })
            .collect();
        prop_assert_eq!(outcomes, want);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn real_runs_report_every_user_exactly(
        picks in prop::collection::vec(0..POOL, 0..250),
        chunk in 1usize..=50,
        concurrency in 1usize..=6,
    ) {
        let (rt, emu) = runtime_and_emulator();
        let input: Vec<String> = picks.iter().map(|&p| id_of(p)).collect();
        let report = rt.block_on(async {
            emu.reset();
            let client = common::client(emu, |b| b);
            client.resign_users(&input, UserIdType::Email, BulkOptions { chunk_size: chunk, concurrency, ..Default::default() }).await
        }).unwrap();
        check_shape(&report, &input);
        let outcomes: Vec<Outcome> = report.users.iter().map(|u| u.outcome).collect();
        prop_assert_eq!(outcomes, expected(&picks));
        prop_assert!(report.stopped_early.is_none());
        let journal = common::calls(emu, common::BATCH);
        prop_assert_eq!(report.http_calls, journal.len() as u64);
        for u in report.users.iter().filter(|u| u.outcome == Outcome::Failed) {
            prop_assert_eq!(u.error.as_ref().unwrap().api_code, Some(2004));
        }
    }
}
