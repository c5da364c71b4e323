//! Benchmark: `resign_users` for 10,000 users against the in-process emulator at
//! concurrency 1, 4 and 16, printing wall time, HTTP calls and throughput.
//! Run with `make bench-bulk` (release build). Numbers, not assertions.

use std::time::Instant;

use authing_emulator::{Emulator, NewUser, Settings};
use authing_resign::{BulkOptions, ClientOptions, ManagementClient, UserIdType};

const USERS: usize = 10_000;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let ids: Vec<String> = (0..USERS)
        .map(|i| format!("bench{i:05}@example.com"))
        .collect();
    let users = ids
        .iter()
        .map(|e| NewUser {
            email: Some(e.clone()),
            ..NewUser::default()
        })
        .collect();
    let emu = Emulator::start(Settings {
        users,
        ..Settings::default()
    })
    .await
    .expect("emulator starts");
    let s = emu.settings();
    let options = ClientOptions::builder(s.access_key_id, s.access_key_secret)
        .host(emu.url())
        .build()
        .expect("options");
    let client = ManagementClient::new(options).expect("client");

    // 1% of the ids unknown to the emulator: shows what isolating them by splitting costs.
    let mut with_unknown = ids.clone();
    for i in (0..USERS).step_by(100) {
        with_unknown[i] = format!("unknown{i:05}@example.com");
    }

    println!("resign_users, {USERS} users, chunks of 50, emulator on 127.0.0.1 (signature auth)");
    println!(
        "{:<28} {:>11} {:>10} {:>12} {:>9} {:>9}",
        "case", "concurrency", "time (s)", "users/s", "HTTP", "TCP conns"
    );
    for (label, input, concurrency) in [
        ("all known", &ids, 1),
        ("all known", &ids, 4),
        ("all known", &ids, 16),
        ("1% unknown (split out)", &with_unknown, 4),
    ] {
        emu.reset();
        let started = Instant::now();
        let report = client
            .resign_users(
                input,
                UserIdType::Email,
                BulkOptions {
                    concurrency,
                    ..BulkOptions::default()
                },
            )
            .await
            .expect("valid options");
        let secs = started.elapsed().as_secs_f64();
        assert_eq!(report.totals.sum(), USERS);
        println!(
            "{label:<28} {concurrency:>11} {secs:>10.3} {:>12.0} {:>9} {:>9}   (resigned {}, failed {})",
            USERS as f64 / secs,
            report.http_calls,
            emu.stats().connections,
            report.totals.resigned,
            report.totals.failed
        );
    }
}
