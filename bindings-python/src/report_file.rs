//! `BulkReport.write_json(path)`: the core's `CompactReport::write_json` streamed to a
//! file through a buffer, with the GIL released. The file is written beside `path` and
//! renamed over it, so a write that fails (disk full, bad indent) leaves neither half a
//! report nor a clobbered earlier one.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use authing_resign::CompactReport;
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;

/// Numbers the temporary files of this process (two threads may write at once).
static WRITES: AtomicU64 = AtomicU64::new(0);

/// Why a write failed.
enum Failed {
    /// The core refused the arguments (a bad indent): its typed error.
    Report(authing_resign::Error),
    /// Creating, writing or renaming the file failed.
    Io(io::Error),
}

/// Writes `report`'s JSON (as `to_json(indent)`) to `path`.
pub(crate) fn write(
    py: Python<'_>,
    report: &CompactReport,
    path: &Path,
    indent: Option<i64>,
) -> PyResult<()> {
    match py.detach(|| write_atomically(report, path, indent)) {
        Ok(()) => Ok(()),
        Err(Failed::Report(e)) => Err(crate::errors::to_pyerr(py, &e)),
        Err(Failed::Io(e)) => Err(os_error(py, &e, path)),
    }
}

fn write_atomically(
    report: &CompactReport,
    path: &Path,
    indent: Option<i64>,
) -> Result<(), Failed> {
    let mut tmp = OsString::from(path.as_os_str());
    tmp.push(format!(
        ".tmp-{}-{}",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    ));
    let tmp = PathBuf::from(tmp);
    let file = File::create(&tmp).map_err(Failed::Io)?;
    let written =
        stream(report, file, indent).and_then(|()| std::fs::rename(&tmp, path).map_err(Failed::Io));
    if written.is_err() {
        // Best effort: the error that matters is the one returned.
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// The report through a 64 KiB buffer into `file`, flushed and synced.
fn stream(report: &CompactReport, file: File, indent: Option<i64>) -> Result<(), Failed> {
    let mut out = BufWriter::with_capacity(1 << 16, file);
    report
        .write_json(&mut out, indent)
        .map_err(Failed::Report)?
        .map_err(Failed::Io)?;
    out.flush().map_err(Failed::Io)?;
    let file = out.into_inner().map_err(|e| Failed::Io(e.into_error()))?;
    file.sync_all().map_err(Failed::Io)
}

/// `OSError(errno, strerror, path)` as `open()` raises it (Python picks the subclass:
/// `FileNotFoundError`, `PermissionError`, `IsADirectoryError`, ...), naming the path
/// asked for rather than the temporary file.
fn os_error(py: Python<'_>, e: &io::Error, path: &Path) -> PyErr {
    let Some(errno) = e.raw_os_error() else {
        return PyOSError::new_err(format!(
            "cannot write the report to {}: {e}",
            path.display()
        ));
    };
    let strerror = py
        .import("os")
        .and_then(|os| os.call_method1("strerror", (errno,)))
        .and_then(|s| s.extract::<String>())
        .unwrap_or_else(|_| e.to_string());
    PyOSError::new_err((errno, strerror, path.as_os_str().to_owned()))
}
