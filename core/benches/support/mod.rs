//! Set-up shared by the benchmarks that drive the in-process emulator: the core's
//! `journal` and `e2e` benches, and the CLI's `bulk_bench` example, which includes this
//! file with `#[path]` (both crates depend on the core and the emulator, with one
//! feature set each). Ids, an emulator's settings that know them, a client for it.
#![allow(dead_code)] // each benchmark uses a different subset

use std::time::Duration;

use authing_emulator::{Emulator, Fault, FaultKind, NewUser, Settings};
use authing_resign::{AuthScheme, ClientOptions, ManagementClient};

/// The route every benchmark times.
pub const BATCH: &str = "/api/v3/resign-user-batch";

/// Default settings with one user per id, each made by `user`
/// (`NewUser::with_email`, `NewUser::with_user_id`).
pub fn settings_knowing(ids: &[String], user: fn(String) -> NewUser) -> Settings {
    Settings {
        users: ids.iter().cloned().map(user).collect(),
        ..Settings::default()
    }
}

/// `n` distinct emails (`{prefix}00000@example.com`, `{prefix}00001@example.com`, …),
/// an emulator on the current runtime that knows them, and a signing client for it.
pub async fn emails_emulator_client(
    prefix: &str,
    n: usize,
) -> (Vec<String>, Emulator, ManagementClient) {
    let emails: Vec<String> = (0..n)
        .map(|i| format!("{prefix}{i:05}@example.com"))
        .collect();
    let emulator = Emulator::start(settings_knowing(&emails, NewUser::with_email))
        .await
        .expect("emulator starts");
    let client = client(&emulator, AuthScheme::Signature);
    (emails, emulator, client)
}

/// A client for `emulator`, with its credentials, authenticating by `scheme`.
pub fn client(emulator: &Emulator, scheme: AuthScheme) -> ManagementClient {
    let s = emulator.settings();
    let options = ClientOptions::builder(s.access_key_id, s.access_key_secret)
        .host(emulator.url())
        .auth(scheme)
        .build()
        .expect("options");
    ManagementClient::new(options).expect("client")
}

/// Delays every batch call by `ms` (none for 0): a stand-in for a real host's round trip.
pub fn delay_batches(emulator: &Emulator, ms: u64) {
    if ms > 0 {
        emulator.add_fault(Fault::always(
            BATCH,
            FaultKind::Delay(Duration::from_millis(ms)),
        ));
    }
}
