//! The core's `tracing` events, forwarded to Python's `logging` (logger `authing_resign`).
//!
//! Asking Python whether a level is enabled needs the GIL, which is too costly per
//! event; the logger's effective level is therefore cached and re-read (cheaply, with
//! the GIL already held) at import, at client construction and when each call starts.
//! Events below the cached level never touch Python. The core never puts a secret,
//! token or signature into an event, so records are redacted at the source.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU8, Ordering};

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// Python's numeric levels.
const DEBUG: u8 = 10;
const INFO: u8 = 20;
const WARNING: u8 = 30;
const ERROR: u8 = 40;
/// Lowest Python level currently enabled on the logger (`u8::MAX`: nothing).
static ENABLED_FROM: AtomicU8 = AtomicU8::new(u8::MAX);
static LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn py_level(level: &Level) -> u8 {
    match *level {
        Level::ERROR => ERROR,
        Level::WARN => WARNING,
        Level::INFO => INFO,
        // Python has no TRACE: both go to DEBUG.
        _ => DEBUG,
    }
}

fn is_ours(meta: &Metadata<'_>) -> bool {
    meta.target().starts_with("authing_resign")
}

fn logger(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    LOGGER
        .get_or_try_init(py, || {
            py.import("logging")?
                .call_method1("getLogger", ("authing_resign",))
                .map(Bound::unbind)
        })
        .map(|l| l.bind(py))
}

/// Re-reads the effective level of the `authing_resign` logger, and `logging.disable()`
/// (which `getEffectiveLevel` ignores: `isEnabledFor` checks `manager.disable` first).
/// Runs at every call: the names are interned, so each lookup hits CPython's type
/// cache instead of hashing a new string and walking the class dicts (callgrind: 4.8k
/// instructions a call before, 2.4k after).
pub(crate) fn refresh(py: Python<'_>) {
    let read = || -> PyResult<i64> {
        let l = logger(py)?;
        let effective = l
            .call_method0(intern!(py, "getEffectiveLevel"))?
            .extract::<i64>()?;
        let disabled_up_to = l
            .getattr(intern!(py, "manager"))?
            .getattr(intern!(py, "disable"))?
            .extract::<i64>()?;
        Ok(if disabled_up_to > 0 {
            effective.max(disabled_up_to + 1)
        } else {
            effective
        })
    };
    let level = read().unwrap_or(i64::from(u8::MAX));
    // NOTSET (0) on the root means "everything".
    ENABLED_FROM.store(level.clamp(0, i64::from(u8::MAX)) as u8, Ordering::Relaxed);
}

/// Installs the forwarding layer as the process's tracing subscriber (unless the host
/// process already installed one) and reads the logger's level.
pub(crate) fn install(py: Python<'_>) -> PyResult<()> {
    let subscriber = tracing_subscriber::registry().with(PythonLogging);
    let _already_set = tracing::subscriber::set_global_default(subscriber);
    refresh(py);
    Ok(())
}

struct PythonLogging;

impl<S: Subscriber> Layer<S> for PythonLogging {
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> tracing::subscriber::Interest {
        // "sometimes": the answer depends on the Python level, which can change, so
        // tracing must ask `enabled` each time instead of caching a yes or no.
        if is_ours(meta) {
            tracing::subscriber::Interest::sometimes()
        } else {
            tracing::subscriber::Interest::never()
        }
    }

    fn enabled(&self, meta: &Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        is_ours(meta)
            && (!meta.is_event() || py_level(meta.level()) >= ENABLED_FROM.load(Ordering::Relaxed))
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let meta = event.metadata();
        let level = py_level(meta.level());
        if level < ENABLED_FROM.load(Ordering::Relaxed) {
            return;
        }
        let mut text = Message::default();
        event.record(&mut text);
        let message = text.finish();
        // Skipped once the interpreter is exiting (see `crate::gil`).
        crate::gil::attach(|py| {
            let emit = || -> PyResult<()> {
                let logger = logger(py)?;
                let record = logger.call_method1(
                    "makeRecord",
                    (
                        "authing_resign",
                        level,
                        meta.file().unwrap_or("<rust>"),
                        meta.line().unwrap_or(0),
                        message,
                        pyo3::types::PyTuple::empty(py),
                        py.None(),
                    ),
                )?;
                record.setattr("rust_target", meta.target())?;
                logger.call_method1("handle", (record,))?;
                Ok(())
            };
            // A broken handler must not break the call that logged; Python's logging
            // reports handler errors itself (`logging.raiseExceptions`).
            let _ = emit();
        });
    }
}

/// `message key=value key=value`, the fields of one event.
#[derive(Default)]
struct Message {
    message: String,
    fields: String,
}

impl Message {
    fn finish(self) -> String {
        match (self.message.is_empty(), self.fields.is_empty()) {
            (_, true) => self.message,
            (true, false) => self.fields,
            (false, false) => format!("{} {}", self.message, self.fields),
        }
    }
}

impl Visit for Message {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let sep = if self.fields.is_empty() { "" } else { " " };
            let _ = write!(self.fields, "{sep}{}={value:?}", field.name());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let sep = if self.fields.is_empty() { "" } else { " " };
            let _ = write!(self.fields, "{sep}{}={value:?}", field.name());
        }
    }
}
