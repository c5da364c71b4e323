//! The core's `tracing` events for Node, two ways:
//!
//! - per client, to the `logger` object given to `new ManagementClient({ logger })`:
//!   every call of a client runs inside a tokio task-local holding that client's
//!   [`Sink`], so an event is routed to the logger of the client whose call emitted it
//!   (the core does all of a call's work inside the call's own future: no task spawned);
//! - process-wide, `AUTHING_RESIGN_LOG=debug` (any `tracing` filter, as for the CLI):
//!   printed on stderr. Read once, when the addon loads.
//!
//! Both are layers of one subscriber installed when the addon loads (unless another
//! addon in the process already installed a global one: then neither works, and the
//! README says so). The core never puts a secret, token or signature into an event.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::filter::{dynamic_filter_fn, EnvFilter};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

/// Environment variable holding the stderr filter, e.g. `debug` or `authing_resign=debug`.
const ENV: &str = "AUTHING_RESIGN_LOG";

/// The logger levels, as the JavaScript methods are named; index = [`level_index`].
/// `lib/logger.js` reads them through `logLevels()`.
pub(crate) const LEVELS: [&str; 4] = ["debug", "info", "warn", "error"];

/// One event, as the JavaScript side receives it.
#[napi(object)]
pub struct LogRecord {
    /// The logger method to call: `debug`, `info`, `warn` or `error`.
    pub level: String,
    /// The event's message.
    pub message: String,
    /// `target` (the core module) and the event's fields as the core names them.
    #[napi(ts_type = "Record<string, string | number | boolean | null>")]
    pub fields: Map<String, Value>,
}

/// The JavaScript function that hands a record to the caller's logger (it never
/// throws). Weak: a client with a logger does not keep the process alive.
pub type LogFn = ThreadsafeFunction<LogRecord, (), LogRecord, Status, false, true>;

/// A client's logger, as the native side holds it.
pub(crate) struct Sink {
    deliver: LogFn,
    /// Which of [`LEVELS`] the JavaScript logger has a method for.
    levels: [bool; 4],
    /// Records queued for the JS thread, so the wrapper can wait until they were
    /// delivered before it settles a call (they travel on another queue than promises).
    queued: AtomicU64,
}

impl Sink {
    /// A sink for the levels named in `levels` (the logger's methods).
    pub(crate) fn new(deliver: LogFn, levels: &[String]) -> Self {
        Self {
            deliver,
            levels: LEVELS.map(|l| levels.iter().any(|m| m == l)),
            queued: AtomicU64::new(0),
        }
    }

    /// Records queued so far (a JavaScript number counts them exactly up to 2^53).
    pub(crate) fn queued(&self) -> f64 {
        self.queued.load(Ordering::SeqCst) as f64
    }

    fn wants(&self, level: &Level) -> bool {
        self.levels[level_index(level)]
    }
}

tokio::task_local! {
    /// The logger of the client whose call is being polled.
    static SINK: Option<Arc<Sink>>;
}

/// Runs a call with `sink` as the destination of the events it emits.
pub(crate) fn scoped<F: Future>(
    sink: Option<Arc<Sink>>,
    call: F,
) -> impl Future<Output = F::Output> {
    SINK.scope(sink, call)
}

fn current() -> Option<Arc<Sink>> {
    SINK.try_with(Clone::clone).ok().flatten()
}

fn level_index(level: &Level) -> usize {
    match *level {
        Level::ERROR => 3,
        Level::WARN => 2,
        Level::INFO => 1,
        // JavaScript loggers have no common `trace`: both go to `debug`.
        _ => 0,
    }
}

fn is_ours(meta: &Metadata<'_>) -> bool {
    meta.target().starts_with("authing_resign")
}

#[napi_derive::module_init]
fn install() {
    let stderr = EnvFilter::try_from_env(ENV).ok().map(|filter| {
        tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_filter(filter)
    });
    // Asked per event ("sometimes"): whether a logger wants it depends on the call.
    let to_js = ToJs.with_filter(
        dynamic_filter_fn(|meta, _| {
            is_ours(meta) && (!meta.is_event() || current().is_some_and(|s| s.wants(meta.level())))
        })
        .with_callsite_filter(|meta| {
            if is_ours(meta) {
                Interest::sometimes()
            } else {
                Interest::never()
            }
        }),
    );
    // Another addon in the process may already own the global subscriber.
    let _ = tracing_subscriber::registry()
        .with(stderr)
        .with(to_js)
        .try_init();
}

/// The layer that hands events to the calling client's logger.
struct ToJs;

impl<S: Subscriber> Layer<S> for ToJs {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let Some(sink) = current() else { return };
        let meta = event.metadata();
        let mut record = Record::default();
        record
            .fields
            .insert("target".into(), Value::from(meta.target()));
        event.record(&mut record);
        let record = LogRecord {
            level: LEVELS[level_index(meta.level())].to_string(),
            message: record.message,
            fields: record.fields,
        };
        // NonBlocking: the queue is unbounded, and a tokio worker must never wait on JS.
        if sink
            .deliver
            .call(record, ThreadsafeFunctionCallMode::NonBlocking)
            == Status::Ok
        {
            sink.queued.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// The message and fields of one event, with their types kept (numbers stay numbers).
#[derive(Default)]
struct Record {
    message: String,
    fields: Map<String, Value>,
}

impl Record {
    fn put(&mut self, field: &Field, value: Value) {
        if field.name() == "message" {
            self.message = match value {
                Value::String(s) => s,
                other => other.to_string(),
            };
        } else {
            self.fields.insert(field.name().to_string(), value);
        }
    }
}

impl Visit for Record {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, Value::from(value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, Value::from(value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, Value::from(value));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, Value::from(value));
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.put(field, Value::from(value));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        // `%error` fields arrive here; their Debug is their Display.
        self.put(field, Value::from(format!("{value:?}")));
    }
}
