//! Shared helpers of the integration tests: an in-process emulator and clients for it.
#![allow(dead_code)] // each test binary uses a different subset

pub mod raw_http;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use authing_emulator::{Emulator, FaultKind, JournalEntry, NewUser, Settings, User};
use authing_resign::{ClientOptions, ClientOptionsBuilder, ManagementClient, RetryPolicy};

/// The emulator's default credentials.
pub fn settings() -> Settings {
    Settings::default()
}

/// Starts an emulator with `users` seeded (kept across resets).
pub async fn start_with(users: Vec<NewUser>, tweak: impl FnOnce(&mut Settings)) -> Emulator {
    let mut s = settings();
    s.users = users;
    tweak(&mut s);
    Emulator::start(s).await.expect("the emulator starts")
}

/// Starts an emulator that knows one user per email in `emails`.
pub async fn start_with_emails(emails: &[String]) -> Emulator {
    let users = emails
        .iter()
        .map(|e| NewUser::with_email(e.as_str()))
        .collect();
    start_with(users, |_| {}).await
}

/// A runtime of its own and an emulator started on it, for tests (proptest) that are
/// not async themselves and keep both in a `static`.
pub fn runtime_with(
    users: Vec<NewUser>,
    tweak: impl FnOnce(&mut Settings),
) -> (tokio::runtime::Runtime, Emulator) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a test runtime");
    let emulator = rt.block_on(start_with(users, tweak));
    (rt, emulator)
}

/// Slows every batch call down by `ms` milliseconds (the work is done after the delay),
/// so that calls are in flight when a test cancels, kills or times a job out.
pub fn slow_batches(emulator: &Emulator, ms: u64) {
    emulator.add_fault(authing_emulator::Fault::always(
        BATCH,
        FaultKind::Delay(Duration::from_millis(ms)),
    ));
}

/// Starts an emulator with default settings and no users.
pub async fn start() -> Emulator {
    start_with(Vec::new(), |_| {}).await
}

// Phones cannot carry the tag, so a process-wide counter keeps them distinct across
// calls: the emulator refuses a phone that already belongs to another user.
static NEXT_PHONE: AtomicU32 = AtomicU32::new(0);

/// `n` users with every kind of id filled in, distinct per `tag`.
pub fn new_users(tag: &str, n: usize) -> Vec<NewUser> {
    (0..n)
        .map(|i| NewUser {
            username: Some(format!("{tag}-user-{i}")),
            email: Some(format!("{tag}-{i}@example.com")),
            phone: Some(format!(
                "138{:08}",
                NEXT_PHONE.fetch_add(1, Ordering::Relaxed)
            )),
            external_id: Some(format!("{tag}-ext-{i}")),
            identities: vec![authing_emulator::Identity {
                ext_idp_id: "62f20932716fbcc10d966ee5".into(),
                user_id_in_idp: format!("ou_{tag}_{i}"),
            }],
            ..NewUser::default()
        })
        .collect()
}

/// Starts an emulator with the `n` users of [`new_users`]`(tag, n)`; returns it and
/// their user ids, in seeding order.
pub async fn start_with_new_users(tag: &str, n: usize) -> (Emulator, Vec<String>) {
    let emulator = start_with(new_users(tag, n), |_| {}).await;
    let ids = emulator.users().into_iter().map(|u| u.user_id).collect();
    (emulator, ids)
}

/// Quick retries so the tests run fast.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(50),
        total_deadline: None,
    }
}

/// A builder pointed at `emulator` with its credentials and fast retries.
pub fn builder(emulator: &Emulator) -> ClientOptionsBuilder {
    let s = emulator.settings();
    ClientOptions::builder(s.access_key_id, s.access_key_secret)
        .host(emulator.url())
        .retry(fast_retry())
}

/// A client for `emulator`, after `tweak` on the builder.
pub fn client(
    emulator: &Emulator,
    tweak: impl FnOnce(ClientOptionsBuilder) -> ClientOptionsBuilder,
) -> ManagementClient {
    ManagementClient::new(tweak(builder(emulator)).build().expect("valid options")).expect("client")
}

/// Resigns `ids` (default id type) and asserts the call succeeded.
pub async fn assert_resigns(client: &ManagementClient, ids: &[&str]) {
    let response = client
        .resign_user_batch(ids, None)
        .await
        .expect("the call succeeds");
    assert!(response.data.success);
}

/// HTTP 200 with a failure envelope of `status_code` (and an optional `Retry-After`).
pub fn envelope(status_code: u16, retry_after: Option<&str>) -> FaultKind {
    FaultKind::EnvelopeStatus {
        status_code,
        retry_after: retry_after.map(str::to_owned),
    }
}

/// A proxy's HTML error page with HTTP `status` (and an optional `Retry-After`).
pub fn http_page(status: u16, retry_after: Option<&str>) -> FaultKind {
    FaultKind::HttpStatus {
        status,
        retry_after: retry_after.map(str::to_owned),
    }
}

/// Journal entries of one path.
pub fn calls(emulator: &Emulator, path: &str) -> Vec<JournalEntry> {
    emulator
        .journal()
        .into_iter()
        .filter(|e| e.path == path)
        .collect()
}

/// Every id named by the batch calls the emulator received, in order.
pub fn batch_ids(emulator: &Emulator) -> Vec<String> {
    calls(emulator, BATCH)
        .iter()
        .flat_map(|e| e.body["userIds"].as_array().cloned().unwrap_or_default())
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect()
}

/// The stored user with this id.
pub fn user(emulator: &Emulator, user_id: &str) -> User {
    emulator.find_user(user_id, "user_id").expect("user exists")
}

pub const BATCH: &str = "/api/v3/resign-user-batch";
pub const SINGLE: &str = "/api/v3/resign-user";
pub const TOKEN: &str = "/api/v3/get-management-token";
