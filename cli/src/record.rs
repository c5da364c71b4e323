//! Where a run's record goes, decided before the first call: the journal (always
//! written: `--journal`, else beside `--report`, else under the state directory) and
//! the report file (checked writable first, written atomically at the end), and which
//! file `--resume` reads.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use crate::exit::{usage, CliError};

/// The journal of this run: `--journal PATH`, else `REPORT.journal`, else
/// `$XDG_STATE_HOME/authing-resign/job-<unix time>-<pid>.journal` (state home
/// defaulting to `~/.local/state`). Creates the state directory when needed.
pub fn journal_path(journal: Option<&Path>, report: Option<&Path>) -> Result<PathBuf, CliError> {
    if let Some(p) = journal {
        return Ok(p.to_path_buf());
    }
    if let Some(r) = report {
        return Ok(beside(r));
    }
    let dir = state_dir()?.join("authing-resign");
    std::fs::create_dir_all(&dir).map_err(|e| {
        usage(format!(
            "cannot create the journal directory {}: {e}; pass --journal PATH or --report PATH",
            dir.display()
        ))
    })?;
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Ok(dir.join(format!("job-{secs}-{}.journal", std::process::id())))
}

/// `PATH.journal`: the journal kept beside a report.
pub fn beside(report: &Path) -> PathBuf {
    let mut s = report.as_os_str().to_owned();
    s.push(".journal");
    PathBuf::from(s)
}

fn state_dir() -> Result<PathBuf, CliError> {
    let absolute = |v: Option<std::ffi::OsString>| v.map(PathBuf::from).filter(|p| p.is_absolute());
    if let Some(p) = absolute(std::env::var_os("XDG_STATE_HOME")) {
        return Ok(p);
    }
    absolute(std::env::var_os("HOME"))
        .map(|h| h.join(".local").join("state"))
        .ok_or_else(|| {
            usage(
                "no XDG_STATE_HOME or HOME to keep the journal in; pass --journal PATH or \
                 --report PATH",
            )
        })
}

/// Opens (creating it if needed, never truncating it: it may be the report being
/// resumed) the report file, so a path that cannot be written fails before anything
/// is sent rather than after every user was resigned.
pub fn check_writable(report: &Path) -> Result<(), CliError> {
    OpenOptions::new()
        .append(true)
        .create(true)
        .open(report)
        .map(drop)
        .map_err(|e| {
            usage(format!(
                "--report {}: cannot write it ({e}); nothing was sent",
                report.display()
            ))
        })
}

/// What `--resume PATH` reads: `PATH.journal` when it exists (the write-ahead record is
/// complete even when the run was killed before writing its report), else `PATH` (a
/// journal, or a JSON report).
pub fn resume_source(path: &Path) -> PathBuf {
    let j = beside(path);
    if j.is_file() {
        j
    } else {
        path.to_path_buf()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_goes_where_asked_else_beside_the_report() {
        let j = journal_path(Some(Path::new("/x/j")), Some(Path::new("r.json"))).unwrap();
        assert_eq!(j, Path::new("/x/j"));
        let j = journal_path(None, Some(Path::new("out/r.json"))).unwrap();
        assert_eq!(j, Path::new("out/r.json.journal"));
    }
}
