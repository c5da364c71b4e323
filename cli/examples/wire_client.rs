//! The Rust client of `make bench-wire`: the same token-authenticated 50-id
//! `resign_user_batch` call as `wrk`, from `CONCURRENCY` tasks for `SECONDS`, after a
//! warm-up. Prints one JSON line: calls, seconds, the process's CPU time (user + sys,
//! from /proc/self/stat) and its context switches (every thread, voluntary and not,
//! `getrusage`) over the measured window. Numbers, not assertions.
//! With `WIRE_CALLS=N` it makes exactly N calls with no warm-up instead (what
//! `make profile-wire` runs under callgrind, to divide its instruction count by N).
//! `WIRE_RUNTIME=current_thread` runs it on a current-thread runtime instead of the
//! default multi-thread one. `WIRE_RUNTIME=handoff` makes the calls the way the Node and
//! Kotlin bindings do: the main thread hands each call to the bindings' own runtime
//! (`runtime::start_background`: current-thread, on a thread of its own) and sleeps
//! until the answer comes back through a queue (see [`handoff`]): what two thread
//! crossings per call cost, without an engine's own work.
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
    let mode = std::env::var("WIRE_RUNTIME").unwrap_or_default();
    if mode == "handoff" {
        // The bindings' own runtime, started the way they start it.
        let handle = authing_resign::runtime::start_background().expect("runtime");
        let setup = {
            let _entered = handle.enter();
            Setup::from_args()
        };
        handoff(&handle, setup);
        return;
    }
    // WIRE_RUNTIME=current_thread: one thread does the calls and the I/O (the CLI's
    // runtime, and the one a single-threaded Rust program would pick).
    let runtime = match mode.as_str() {
        "current_thread" => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    }
    .enable_all()
    .build()
    .expect("runtime");
    let setup = {
        let _entered = runtime.enter();
        Setup::from_args()
    };
    runtime.block_on(measure(setup));
}

/// What every mode measures with: the client, the ids, the concurrency and the length.
struct Setup {
    client: ManagementClient,
    ids: Arc<Vec<String>>,
    concurrency: usize,
    seconds: f64,
}

impl Setup {
    fn from_args() -> Self {
        let args: Vec<String> = std::env::args().collect();
        let [_, url, concurrency, seconds, ids] = &args[..] else {
            eprintln!("usage: wire_client URL CONCURRENCY SECONDS ID1,ID2,...");
            std::process::exit(2);
        };
        let env = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("set {k}"));
        let options = ClientOptions::builder(
            env("AUTHING_ACCESS_KEY_ID"),
            env("AUTHING_ACCESS_KEY_SECRET"),
        )
        .host(url.as_str())
        .auth(AuthScheme::ManagementToken)
        .build()
        .expect("options");
        Self {
            client: ManagementClient::new(options).expect("client"),
            ids: Arc::new(ids.split(',').map(str::to_string).collect()),
            concurrency: concurrency.parse().expect("CONCURRENCY"),
            seconds: seconds.parse().expect("SECONDS"),
        }
    }
}

async fn measure(s: Setup) {
    let Setup {
        client,
        ids,
        concurrency,
        seconds,
    } = s;
    if let Some(n) = std::env::var("WIRE_CALLS")
        .ok()
        .and_then(|n| n.parse::<u64>().ok())
    {
        let window = Window::start();
        for _ in 0..n {
            client.resign_user_batch(&ids, None).await.expect("call");
        }
        window.report(n);
        return;
    }
    // Warm-up: the token, the connections, the allocator.
    let warm = run(&client, &ids, concurrency, Duration::from_millis(500)).await;
    assert!(warm > 0, "no call succeeded during the warm-up");
    let window = Window::start();
    let calls = run(&client, &ids, concurrency, Duration::from_secs_f64(seconds)).await;
    window.report(calls);
}

/// The start of a measured window: wall clock, CPU time and context switches.
struct Window {
    started: Instant,
    cpu: f64,
    switches: i64,
}

impl Window {
    fn start() -> Self {
        Self {
            started: Instant::now(),
            cpu: cpu_secs(),
            switches: context_switches(),
        }
    }

    /// Prints the JSON line for `calls` made since the window started.
    fn report(self, calls: u64) {
        let secs = self.started.elapsed().as_secs_f64();
        let cpu = cpu_secs() - self.cpu;
        let ctx = context_switches() - self.switches;
        println!("{{\"calls\":{calls},\"secs\":{secs:.4},\"cpu_secs\":{cpu:.4},\"ctx\":{ctx}}}");
    }
}

/// The bindings' shape (Node's JS thread, a Kotlin caller): `handle`'s runtime is
/// driven by a thread of its own (`runtime::start_background`, as the bindings' is);
/// this thread spawns each call onto it and sleeps on a queue until a call's answer
/// arrives, then starts the next. Every call crosses threads twice, and at one call in
/// flight each crossing wakes a sleeping thread.
fn handoff(handle: &tokio::runtime::Handle, s: Setup) {
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let start = |s: &Setup| {
        let (client, ids, done) = (s.client.clone(), s.ids.clone(), done_tx.clone());
        handle.spawn(async move {
            let r = client.resign_user_batch(&ids, None).await.expect("call");
            assert_eq!(r.status_code, 200, "{}", r.message);
            let _ = done.send(());
        });
    };
    // Keeps `concurrency` calls in flight until `length` has passed; returns the calls
    // answered by then (the ones still in flight are awaited, not counted).
    let run = |length: Duration| {
        let deadline = Instant::now() + length;
        for _ in 0..s.concurrency {
            start(&s);
        }
        let (mut answered, mut in_flight) = (0u64, s.concurrency);
        while in_flight > 0 {
            done_rx.recv().expect("a call's answer");
            in_flight -= 1;
            if Instant::now() < deadline {
                answered += 1;
                start(&s);
                in_flight += 1;
            }
        }
        answered
    };
    assert!(
        run(Duration::from_millis(500)) > 0,
        "no call succeeded during the warm-up"
    );
    let window = Window::start();
    let calls = run(Duration::from_secs_f64(s.seconds));
    window.report(calls);
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

/// Context switches of every thread of this process so far, voluntary and not.
fn context_switches() -> i64 {
    // SAFETY: getrusage fills the struct it is given; a zeroed rusage is a valid one.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage.ru_nvcsw + usage.ru_nivcsw
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
