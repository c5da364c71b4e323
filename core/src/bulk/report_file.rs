//! Writing a report file: [`write_replacing`], the one way the CLI and the bindings put
//! a report (or any record a run leaves) at a path the user chose.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Numbers the temporary files of this process (two threads may write at once).
static WRITES: AtomicU64 = AtomicU64::new(0);

/// Writes what `write` streams (through a 64 KiB buffer) to `path`.
///
/// A regular file (or a path that does not exist yet) is written beside it, synced and
/// renamed over it, so a write that fails or a run killed mid-way leaves neither half a
/// report nor a clobbered earlier one. A path that is not a regular file — a device
/// such as `/dev/stdout` or `/dev/null`, a named pipe — is written in place: renaming
/// over it would replace the device node itself (as root, `/dev/null` would become a
/// regular file). A symbolic link is followed, so the file it points at is replaced and
/// the link stays.
pub fn write_replacing(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let target = match fs::canonicalize(path) {
        Ok(resolved) => resolved,
        // Not there yet (or a dangling link, written as a new file).
        Err(_) => path.to_path_buf(),
    };
    match fs::metadata(&target) {
        Ok(meta) if !meta.is_file() => {
            let mut out = BufWriter::with_capacity(1 << 16, File::create(&target)?);
            write(&mut out)?;
            out.flush()
        }
        _ => replace(&target, write),
    }
}

/// Temporary file beside `path`, synced, renamed over it.
fn replace(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    write_beside(path, write, |tmp, path| fs::rename(tmp, path))
}

/// What `write` streams, written to a temporary file beside `path` and synced, then
/// `put` there (`put(tmp, path)`: a rename replaces what is at `path`, a hard link
/// never does). The temporary file is removed whatever happens, unless the process
/// dies first.
pub(crate) fn write_beside(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    put: impl FnOnce(&Path, &Path) -> io::Result<()>,
) -> io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(
        ".tmp-{}-{}",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    ));
    let tmp = PathBuf::from(tmp);
    let written = (|| {
        let mut out = BufWriter::with_capacity(1 << 16, File::create(&tmp)?);
        write(&mut out)?;
        let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        put(&tmp, path)
    })();
    // Best effort (gone already after a rename): the error that matters is `written`'s.
    let _ = fs::remove_file(&tmp);
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("report-file-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_regular_file_is_replaced_whole_and_a_failed_write_keeps_the_old_one() {
        let dir = scratch("regular");
        let path = dir.join("r.json");
        write_replacing(&path, |o| o.write_all(b"first")).unwrap();
        write_replacing(&path, |o| o.write_all(b"second")).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        let failed = write_replacing(&path, |o| {
            o.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file left"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_link_stays_a_link_and_its_file_is_replaced() {
        let dir = scratch("link");
        let file = dir.join("real.json");
        fs::write(&file, b"old").unwrap();
        let link = dir.join("link.json");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        write_replacing(&link, |o| o.write_all(b"new")).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(&file).unwrap(), b"new");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_named_pipe_is_written_in_place_not_replaced() {
        use std::io::Read;
        use std::os::unix::fs::FileTypeExt;
        let dir = scratch("fifo");
        let fifo = dir.join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut got = Vec::new();
                File::open(&fifo).unwrap().read_to_end(&mut got).unwrap();
                got
            })
        };
        write_replacing(&fifo, |o| o.write_all(b"through the pipe")).unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
        fs::remove_dir_all(&dir).unwrap();
    }
}
