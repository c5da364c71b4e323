//! Hostile ids through the whole client: arbitrary Unicode built from the pieces in
//! tests/data/hostile-ids.json (CJK, emoji and ZWJ sequences, combining marks, RTL and
//! bidi controls, `&=?%#+`, quotes and backslashes, U+2028, format and control
//! characters, ids past the length limit) sent to the emulator. For every batch: either
//! refused before anything is sent, with a typed error naming an index whose id is
//! refused on its own too (and every id before it accepted), or every id received
//! byte-identical under a signature the emulator verified. Never sent altered.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use authing_emulator::{AuthKind, Emulator, UnknownIdPolicy};
use authing_resign::{request::validate_user_id, Argument, Error, UserIdType};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

/// The pieces of tests/data/hostile-ids.json, by category (lone surrogates left out:
/// a Rust string cannot hold one).
fn pieces() -> &'static Vec<Vec<String>> {
    static PIECES: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    PIECES.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/data/hostile-ids.json"
        );
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        doc["pieces"]
            .as_object()
            .unwrap()
            .values()
            .map(|list| {
                list.as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_str().unwrap().to_owned())
                    .collect()
            })
            .collect()
    })
}

/// One id: 0-8 pieces (category, piece) joined, sometimes repeated past the length limit.
fn hostile_id() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((any::<u8>(), any::<u8>()), 0..=8),
        0u8..20,
    )
        .prop_map(|(picks, long)| {
            let cats = pieces();
            let mut id: String = picks
                .iter()
                .map(|&(c, p)| {
                    let cat = &cats[usize::from(c) % cats.len()];
                    cat[usize::from(p) % cat.len()].as_str()
                })
                .collect();
            if long == 0 && !id.is_empty() {
                id = id.repeat(300 / id.len() + 1);
            }
            id
        })
}

fn runtime_and_emulator() -> &'static (tokio::runtime::Runtime, Emulator) {
    static SHARED: OnceLock<(tokio::runtime::Runtime, Emulator)> = OnceLock::new();
    // Unknown ids are skipped, so any id the server takes answers success.
    SHARED.get_or_init(|| {
        common::runtime_with(Vec::new(), |s| s.unknown_ids = UnknownIdPolicy::Ignore)
    })
}

/// How often a batch was refused and how often received, so a run that only ever
/// refuses (or only ever sends) fails instead of passing vacuously.
#[derive(Default)]
struct Fates {
    refused: AtomicUsize,
    received: AtomicUsize,
}

/// Sends `ids` as one batch and checks the outcome against the rule above.
fn check_batch(ids: &[String], id_type: UserIdType, fates: &Fates) -> Result<(), TestCaseError> {
    // One emulator for both tests, whose journal each reads: one batch at a time.
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (rt, emu) = runtime_and_emulator();
    emu.reset();
    emu.update_settings(|s| s.unknown_ids = UnknownIdPolicy::Ignore);
    let client = common::client(emu, |b| b);
    let result = rt.block_on(client.resign_user_batch(ids, Some(id_type)));
    let sent = common::calls(emu, common::BATCH);
    match result {
        Err(Error::InvalidArgument {
            field,
            index,
            reason,
        }) => {
            prop_assert!(sent.is_empty(), "refused, yet sent");
            fates.refused.fetch_add(1, Ordering::Relaxed);
            if ids.is_empty() || ids.len() > 50 {
                prop_assert_eq!(index, None);
                return Ok(());
            }
            prop_assert_eq!(field, "userIds");
            let i = index.expect("an index");
            prop_assert!(
                validate_user_id(&ids[i], id_type, Argument::UserIds, Some(i)).is_err(),
                "{reason}"
            );
            for (j, id) in ids[..i].iter().enumerate() {
                prop_assert!(validate_user_id(id, id_type, Argument::UserIds, Some(j)).is_ok());
            }
        }
        Err(other) => prop_assert!(false, "{ids:?} failed with {other:?}"),
        Ok(response) => {
            prop_assert!(response.data.success);
            prop_assert_eq!(sent.len(), 1);
            prop_assert_eq!(sent[0].auth, AuthKind::Signature);
            prop_assert_eq!(
                sent[0].status_code,
                200,
                "the emulator verified and took it"
            );
            let received: Vec<&str> = sent[0].body["userIds"]
                .as_array()
                .expect("userIds received")
                .iter()
                .map(|v| v.as_str().expect("strings"))
                .collect();
            prop_assert_eq!(received, ids.iter().map(String::as_str).collect::<Vec<_>>());
            fates.received.fetch_add(1, Ordering::Relaxed);
        }
    }
    Ok(())
}

/// Runs `cases` generated cases through [`check_batch`]; both fates must occur.
fn run<S: Strategy>(
    cases: u32,
    strategy: S,
    to_batch: impl Fn(S::Value) -> (Vec<String>, UserIdType),
) {
    let fates = Fates::default();
    let mut runner = TestRunner::new(Config {
        cases,
        ..Config::default()
    });
    runner
        .run(&strategy, |value| {
            let (ids, id_type) = to_batch(value);
            check_batch(&ids, id_type, &fates)
        })
        .unwrap();
    let (refused, received) = (fates.refused.into_inner(), fates.received.into_inner());
    println!("{cases} cases: {refused} batches refused, {received} received");
    assert!(
        refused > 0 && received > 0,
        "{refused} refused, {received} received"
    );
}

#[test]
fn hostile_batches_are_refused_by_index_or_received_unaltered() {
    let types = prop::sample::select(UserIdType::ALL.to_vec());
    let batches = (
        prop::collection::vec(hostile_id(), 0..=52),
        types,
        any::<bool>(),
    );
    // Half the batches keep only ids the core takes, so whole 50-id batches of hostile
    // text reach the emulator too (a random batch nearly always holds a refused id).
    run(64, batches, |(ids, id_type, keep_all)| {
        let ids = if keep_all {
            ids
        } else {
            ids.into_iter()
                .filter(|id| validate_user_id(id, id_type, Argument::UserIds, None).is_ok())
                .collect()
        };
        (ids, id_type)
    });
}

#[test]
fn single_hostile_ids_are_refused_or_received_unaltered() {
    run(96, hostile_id(), |id| (vec![id], UserIdType::Username));
}
