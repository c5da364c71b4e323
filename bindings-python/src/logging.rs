//! The core's `tracing` events, forwarded to Python's `logging` (logger `authing_resign`).
//!
//! Asking Python whether a level is enabled needs the GIL, which is too costly per
//! event; the logger's effective level is therefore cached and re-read (cheaply, with
//! the GIL already held) at import and when each call starts, if it may have changed
//! since it was last read ([`refresh`]). Events below the cached level never touch
//! Python. The core never puts a secret,
//! token or signature into an event, so records are redacted at the source.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// Python's numeric levels.
const DEBUG: u8 = 10;
const INFO: u8 = 20;
const WARNING: u8 = 30;
const ERROR: u8 = 40;
/// Lowest Python level currently enabled on the logger (low 8 bits; `u8::MAX`:
/// nothing) and, above them, the number of the reading it comes from: a reading is
/// stored only if no later one was stored first ([`refresh`]).
static ENABLED: AtomicU64 = AtomicU64::new(u8::MAX as u64);
/// Readings started so far.
static READINGS: AtomicU64 = AtomicU64::new(0);

/// Lowest Python level currently enabled on the logger (`u8::MAX`: nothing).
fn enabled_from() -> u8 {
    ENABLED.load(Ordering::Relaxed) as u8
}
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
/// (which `getEffectiveLevel` ignores: `isEnabledFor` checks `manager.disable` first),
/// unless nothing can have changed them since the last reading.
///
/// Runs at every call, so the check is cheap: each reading leaves a key of ours in the
/// logger's own level cache (`Logger._cache`, the dict behind `isEnabledFor`), which
/// `logging` empties whenever a level can change (`setLevel` on any logger and
/// `logging.disable` call `Manager._clear_cache`, which empties every logger's). While
/// the key is there the reading stands: one attribute and one dict look-up per call
/// instead of a Python method call and three attribute reads (callgrind: 2.4k
/// instructions a call before). Without such a dict (another `logging`), every call
/// reads the level, as before.
pub(crate) fn refresh(py: Python<'_>) {
    let key = intern!(py, "authing_resign: level read");
    let cache = logger(py)
        .and_then(|l| l.getattr(intern!(py, "_cache")))
        .ok()
        .and_then(|c| c.cast_into::<PyDict>().ok());
    if let Some(cache) = &cache {
        if cache.contains(key).unwrap_or(false) {
            return;
        }
    }
    // Numbered and marked before reading: a change made while this reading runs (other
    // threads can run Python meanwhile) empties the cache again, so the next call reads
    // anew, and a reading that ends after a later one stored its level does not
    // overwrite it.
    let reading = READINGS.fetch_add(1, Ordering::Relaxed) + 1;
    if let Some(cache) = &cache {
        let _ = cache.set_item(key, true);
    }
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
    let level = read().unwrap_or_else(|_| {
        // Not a reading to keep: the next call tries again.
        if let Some(cache) = &cache {
            let _ = cache.del_item(key);
        }
        i64::from(u8::MAX)
    });
    // NOTSET (0) on the root means "everything".
    let level = level.clamp(0, i64::from(u8::MAX)) as u64;
    let _ = ENABLED.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |stored| {
        (stored >> 8 < reading).then_some(reading << 8 | level)
    });
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
        is_ours(meta) && (!meta.is_event() || py_level(meta.level()) >= enabled_from())
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let meta = event.metadata();
        let level = py_level(meta.level());
        if level < enabled_from() {
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
