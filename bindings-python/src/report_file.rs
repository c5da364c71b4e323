//! `BulkReport.write_json(path)`: the core's `CompactReport::write_json` streamed to a
//! file by the core's `bulk::write_replacing` (the CLI's `--report` too), with the GIL
//! released: a regular file is written beside `path` and renamed over it, so a write
//! that fails (disk full, bad indent) leaves neither half a report nor a clobbered
//! earlier one; a device or pipe (`/dev/stdout`) is written in place.

use std::io;
use std::path::Path;

use authing_resign::CompactReport;
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;

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
    match py.detach(|| write_file(report, path, indent)) {
        Ok(()) => Ok(()),
        Err(Failed::Report(e)) => Err(crate::errors::to_pyerr(py, &e)),
        Err(Failed::Io(e)) => Err(os_error(py, &e, path)),
    }
}

fn write_file(report: &CompactReport, path: &Path, indent: Option<i64>) -> Result<(), Failed> {
    // The core's outer error (a bad indent, nothing serialized) is kept aside; the
    // write is then abandoned like a failed one (an existing file stays as it was).
    let mut refused = None;
    let written = authing_resign::bulk::write_replacing(path, |out| {
        report.write_json(out, indent).unwrap_or_else(|e| {
            refused = Some(e);
            Err(io::Error::other("refused by the core"))
        })
    });
    match refused {
        Some(e) => Err(Failed::Report(e)),
        None => written.map_err(Failed::Io),
    }
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
