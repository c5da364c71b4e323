//! The Rust client of `make bench-wire`: the same token-authenticated 50-id
//! `resign_user_batch` call as `wrk`, from `CONCURRENCY` tasks for `SECONDS`, after a
//! warm-up. Prints one JSON line: calls, seconds, and the process's CPU time (user +
//! sys, from /proc/self/stat) over the measured window. Numbers, not assertions.
//! With `WIRE_CALLS=N` it makes exactly N calls with no warm-up instead (what
//! `make profile-wire` runs under callgrind, to divide its instruction count by N).
//! `WIRE_RUNTIME=current_thread` runs it on a current-thread runtime instead of the
//! default multi-thread one.
//!
//! ```sh
//! AUTHING_ACCESS_KEY_ID=... AUTHING_ACCESS_KEY_SECRET=... \
//!   target/release/examples/wire_client URL CONCURRENCY SECONDS ID1,ID2,...
//! ```

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use authing_resign::{AuthScheme, ClientOptions, ManagementClient};

fn main() {
    // WIRE_RUNTIME=current_thread: one thread does the calls and the I/O (the CLI's
    // runtime, and the one a single-threaded Rust program would pick).
    let runtime = match std::env::var("WIRE_RUNTIME").as_deref() {
        Ok("current_thread") => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    }
    .enable_all()
    .build()
    .expect("runtime");
    runtime.block_on(measure());
}

async fn measure() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, concurrency, seconds, ids] = &args[..] else {
        eprintln!("usage: wire_client URL CONCURRENCY SECONDS ID1,ID2,...");
        std::process::exit(2);
    };
    let concurrency: usize = concurrency.parse().expect("CONCURRENCY");
    let seconds: f64 = seconds.parse().expect("SECONDS");
    let ids: Arc<Vec<String>> = Arc::new(ids.split(',').map(str::to_string).collect());
    let env = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("set {k}"));
    let options = ClientOptions::builder(
        env("AUTHING_ACCESS_KEY_ID"),
        env("AUTHING_ACCESS_KEY_SECRET"),
    )
    .host(url.as_str())
    .auth(AuthScheme::ManagementToken)
    .build()
    .expect("options");
    let client = ManagementClient::new(options).expect("client");

    if let Some(n) = std::env::var("WIRE_CALLS")
        .ok()
        .and_then(|n| n.parse::<u64>().ok())
    {
        let started = Instant::now();
        let cpu_before = cpu_secs();
        for _ in 0..n {
            client.resign_user_batch(&ids, None).await.expect("call");
        }
        let (secs, cpu) = (started.elapsed().as_secs_f64(), cpu_secs() - cpu_before);
        println!("{{\"calls\":{n},\"secs\":{secs:.4},\"cpu_secs\":{cpu:.4}}}");
        return;
    }
    // Warm-up: the token, the connections, the allocator.
    let warm = run(&client, &ids, concurrency, Duration::from_millis(500)).await;
    assert!(warm > 0, "no call succeeded during the warm-up");
    let cpu_before = cpu_secs();
    let started = Instant::now();
    let calls = run(&client, &ids, concurrency, Duration::from_secs_f64(seconds)).await;
    let secs = started.elapsed().as_secs_f64();
    let cpu = cpu_secs() - cpu_before;
    println!("{{\"calls\":{calls},\"secs\":{secs:.4},\"cpu_secs\":{cpu:.4}}}");
}

/// Calls from `concurrency` tasks until `length` has passed; returns the calls made.
async fn run(
    client: &ManagementClient,
    ids: &Arc<Vec<String>>,
    concurrency: usize,
    length: Duration,
) -> u64 {
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (client, ids, done, stop) = (client.clone(), ids.clone(), done.clone(), stop.clone());
        tasks.spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let r = client.resign_user_batch(&ids, None).await.expect("call");
                assert_eq!(r.status_code, 200, "{}", r.message);
                done.fetch_add(1, Ordering::Relaxed);
            }
        });
    }
    tokio::time::sleep(length).await;
    stop.store(true, Ordering::Relaxed);
    let counted = done.load(Ordering::Relaxed);
    while let Some(t) = tasks.join_next().await {
        t.expect("task");
    }
    counted
}

/// User + system CPU time of this process so far, in seconds.
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    // Fields after the command name (which may hold spaces) start at field 3;
    // utime and stime are fields 14 and 15, in clock ticks (100 per second on Linux).
    let rest = &stat[stat.rfind(')').expect("stat") + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = f[11].parse::<u64>().expect("utime") + f[12].parse::<u64>().expect("stime");
    ticks as f64 / 100.0
}
