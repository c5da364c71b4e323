//! `writeJson`: the report streamed to a file by the core (`CompactReport::write_json`,
//! the bytes of `BulkReport::to_json`) through a `BufWriter` on tokio's blocking pool,
//! never built whole in memory and never on the JS thread.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::sync::Arc;

use authing_resign::{Argument, CompactReport, Error};
use napi::bindgen_prelude::*;

/// Why a write failed: the core refused an argument (a bad indent, nothing written), or
/// the file could not be opened or written.
pub(crate) enum Failure {
    /// The core's typed error.
    Core(Error),
    /// An I/O error at `syscall` (`open` or `write`).
    Io {
        syscall: &'static str,
        error: io::Error,
    },
}

/// Writes `report` as JSON to `path` (created or truncated), pretty-printed with
/// `indent` spaces if given. Blocking: run it off the JS thread.
pub(crate) fn write(
    report: &CompactReport,
    path: &str,
    indent: Option<f64>,
) -> std::result::Result<(), Failure> {
    let indent = self::indent(indent).map_err(Failure::Core)?;
    let mut file = LazyFile {
        path,
        file: None,
        syscall: "open",
    };
    let written = report
        .write_json(&mut file, indent)
        .map_err(Failure::Core)?
        .and_then(|()| file.finish());
    written.map_err(|error| Failure::Io {
        syscall: file.syscall,
        error,
    })
}

/// A JavaScript indent as the core's signed one: a negative one is the core's to refuse
/// (naming its range), a fraction or a non-finite number is refused here.
pub(crate) fn indent(n: Option<f64>) -> std::result::Result<Option<i64>, Error> {
    n.map(whole).transpose()
}

fn whole(n: f64) -> std::result::Result<i64, Error> {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 2f64.powi(53) {
        Ok(n as i64)
    } else {
        Err(Error::invalid(
            Argument::Indent,
            None,
            format!("must be a whole number of spaces, got {n}"),
        ))
    }
}

/// The file, opened on the first write: an indent the core refuses (before writing
/// anything) leaves no file behind. Records which step failed.
struct LazyFile<'a> {
    path: &'a str,
    file: Option<BufWriter<File>>,
    syscall: &'static str,
}

impl LazyFile<'_> {
    fn open(&mut self) -> io::Result<&mut BufWriter<File>> {
        if self.file.is_none() {
            self.syscall = "open";
            self.file = Some(BufWriter::with_capacity(1 << 16, File::create(self.path)?));
        }
        self.syscall = "write";
        Ok(self.file.as_mut().expect("just opened"))
    }

    /// Flushes the buffer (and creates the file if nothing was written).
    fn finish(&mut self) -> io::Result<()> {
        self.open()?.flush()
    }
}

impl Write for LazyFile<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.open()?.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.open()?.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.open()?.flush()
    }
}

/// Starts the write on the blocking pool; the promise settles on the JS thread, with
/// the core's error as every other rejection carries it, or an `Error` naming the path.
pub(crate) fn spawn<'env>(
    env: &'env Env,
    report: Arc<CompactReport>,
    path: String,
    indent: Option<f64>,
) -> Result<PromiseRaw<'env, ()>> {
    let target = path.clone();
    let job = async move {
        let done = tokio::task::spawn_blocking(move || write(&report, &target, indent)).await;
        Ok(done.unwrap_or_else(|join| {
            Err(Failure::Io {
                syscall: "write",
                error: io::Error::other(join.to_string()),
            })
        }))
    };
    env.spawn_future_with_callback(job, move |env, outcome| match outcome {
        Ok(()) => Ok(()),
        Err(Failure::Core(e)) => Err(crate::errors::to_js(env, e)),
        Err(Failure::Io { syscall, error }) => Err(io_error(env, &path, syscall, &error)),
    })
}

/// An `Error` as Node's `fs` shapes one: the message names the path; `path`, `syscall`
/// and, on Unix, `errno` (negative, as libuv's; `lib/report.js` adds its `code` name).
fn io_error(env: &Env, path: &str, syscall: &str, error: &io::Error) -> napi::Error {
    let message = format!("cannot write the report to {path}: {error}");
    let build = || -> Result<napi::Error> {
        let mut object = env.create_error(napi::Error::new(Status::GenericFailure, &message))?;
        object.set_named_property("path", path)?;
        object.set_named_property("syscall", syscall)?;
        if cfg!(unix) {
            if let Some(errno) = error.raw_os_error() {
                object.set_named_property("errno", -errno)?;
            }
        }
        Ok(napi::Error::from(object.to_unknown()))
    };
    build().unwrap_or_else(|_| napi::Error::new(Status::GenericFailure, message))
}
