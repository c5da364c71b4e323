//! Writing a journal: one thread owns the file and group-commits. Each caller hands
//! it a line and waits; the thread writes every line waiting at that moment in one
//! `write`, then (when one of them asks for it) one `fdatasync`, then answers them all.
//! With 16 calls in flight a sync therefore covers the records of every call that
//! finished meanwhile.
//!
//! A `sent` record is written directly by the caller (one `write` on the same
//! `O_APPEND` file, into the OS, so it survives the process being killed, without
//! waiting for a sync in progress) and synced with the next record that is. Losing it to
//! a power cut can only make a resumed job treat an in-flight call as never sent, and
//! both are sent again; what must never be lost — a `result` before its users count —
//! is always synced.
//!
//! A new journal's header and its directory entry are made durable the same way: by the
//! first synced group, which syncs the directory too, rather than by syncs of their own
//! before the first call (two serial syncs per job that weighed as much as every call's
//! share of the group commits in a 200-call job). Before that first group is on disk
//! nothing has been counted, and a power cut can only lose what an unsynced `sent` can.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};

use tokio::sync::oneshot;

use crate::bulk::journal::{read, JournalHeader, Record};
use crate::error::{Error, Result};

type Reply = oneshot::Sender<io::Result<()>>;

/// A line for the writer thread: its bytes, whether it must be synced, and whom to tell.
type Line = (Vec<u8>, bool, Reply);

/// An open journal. Dropping it lets the writer thread finish what it holds and exit.
pub(crate) struct JournalWriter {
    path: PathBuf,
    /// Opened in append mode: every `write` lands at the end, whoever makes it.
    file: Arc<File>,
    tx: mpsc::Sender<Line>,
    /// What the writer thread has synced (read by the tests of the deferred syncs).
    #[cfg_attr(not(test), allow(dead_code))]
    syncs: Arc<SyncCount>,
}

/// How many file and directory syncs the writer thread has made (one atomic add per
/// sync, next to the sync's milliseconds).
#[derive(Default)]
struct SyncCount {
    files: AtomicU64,
    dirs: AtomicU64,
}

impl JournalWriter {
    /// Opens the journal at `path`: a new file, or, with `continue_existing`, the end
    /// of an existing journal (cut to its last complete line, so a torn line left by a
    /// crash never ends up in the middle), which must record `header`'s place and id
    /// type. An existing file is never overwritten.
    ///
    /// A new file's directory entry is synced with the first synced record (see the
    /// module's doc).
    pub(crate) fn open(
        path: &Path,
        continue_existing: bool,
        header: &JournalHeader,
    ) -> Result<Self> {
        let (file, unsynced_dir) = if continue_existing {
            (open_existing(path, header), None)
        } else {
            (create_new(path), Some(path.to_path_buf()))
        };
        let file = file.map_err(|e| journal_error(path, &e))?;
        Self::start(path, file, unsynced_dir)
    }

    /// Creates a new journal at `path` whose first lines `write_first` writes (a
    /// resumed job's header and the earlier run's users), synced, and only then put at
    /// `path`, in one step: they go to a temporary file beside it, which is linked to
    /// `path` (never over an existing file) once whole. A crash while they are written
    /// leaves no journal at `path` — a later resume reads the earlier run again — never
    /// a journal whose earlier users are cut off, which a resume would read as "none of
    /// them resigned" and send them all again.
    pub(crate) fn create_whole(
        path: &Path,
        write_first: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<Self> {
        let file = create_whole(path, write_first).map_err(|e| journal_error(path, &e))?;
        Self::start(path, file, None)
    }

    /// Starts the writer thread; `unsynced_dir` is the path of a new journal whose
    /// directory entry the first synced group must make durable.
    fn start(path: &Path, file: File, unsynced_dir: Option<PathBuf>) -> Result<Self> {
        let file = Arc::new(file);
        let (tx, rx) = mpsc::channel();
        let owned = Arc::clone(&file);
        let syncs = Arc::new(SyncCount::default());
        let counted = Arc::clone(&syncs);
        std::thread::Builder::new()
            .name("authing-resign-journal".into())
            .spawn(move || commit_loop(&owned, unsynced_dir, &rx, &counted))
            .map_err(|e| journal_error(path, &e))?;
        Ok(Self {
            path: path.to_path_buf(),
            file,
            tx,
            syncs,
        })
    }

    /// Appends `rec` and returns once it is written and, with `sync`, on disk.
    pub(crate) async fn append(&self, rec: &Record, sync: bool) -> Result<()> {
        self.append_line(rec.to_line(), sync).await
    }

    /// Appends one whole line (a record's, newline included), as [`Self::append`].
    pub(crate) async fn append_line(&self, line: Vec<u8>, sync: bool) -> Result<()> {
        if !sync {
            // One short write into the page cache: no need to leave the task for it.
            return (&*self.file)
                .write_all(&line)
                .map_err(|e| journal_error(&self.path, &e));
        }
        self.send(line, sync).await
    }

    /// Hands `line` to the writer thread and waits for it to be written (and synced).
    async fn send(&self, line: Vec<u8>, sync: bool) -> Result<()> {
        let (reply, done) = oneshot::channel();
        let gone = || io::Error::other("the journal writer stopped");
        self.tx
            .send((line, sync, reply))
            .map_err(|_| journal_error(&self.path, &gone()))?;
        done.await
            .unwrap_or_else(|_| Err(gone()))
            .map_err(|e| journal_error(&self.path, &e))
    }
}

/// The error of a journal that cannot be opened, written or synced.
pub(crate) fn journal_error(path: &Path, e: &io::Error) -> Error {
    Error::Journal {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// A new, empty journal (its directory entry is synced later, see [`commit_loop`]).
fn create_new(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .append(true)
        .create_new(true)
        .open(path)
        .map_err(never_overwritten)
}

/// The error of a journal path that already holds a file.
fn never_overwritten(e: io::Error) -> io::Error {
    if e.kind() == io::ErrorKind::AlreadyExists {
        io::Error::new(
            e.kind(),
            "the file exists, and a journal is never overwritten (it may be the only \
             record of an earlier job): resume from it, or choose another path",
        )
    } else {
        e
    }
}

/// See [`JournalWriter::create_whole`]: the core's temporary file beside `path`
/// ([`crate::bulk::report_file::write_beside`]), hard-linked rather than renamed.
fn create_whole(
    path: &Path,
    write_first: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<File> {
    // Refused before writing (a million users' record is ~90 MB), and again by the link.
    if path.symlink_metadata().is_ok() {
        return Err(never_overwritten(io::ErrorKind::AlreadyExists.into()));
    }
    crate::bulk::report_file::write_beside(path, write_first, |tmp, path| {
        std::fs::hard_link(tmp, path).map_err(never_overwritten)
    })?;
    sync_parent(path)?;
    // Reopened in append mode, as a new journal is.
    OpenOptions::new().append(true).open(path)
}

fn open_existing(path: &Path, header: &JournalHeader) -> io::Result<File> {
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    let st = read(&bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    if let Some(h) = st
        .header
        .filter(|h| h.place != header.place || h.user_id_type != header.user_id_type)
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "it records host {}, access key id {}, tenant {} and id type {}; a journal \
                 holds one place and id type: write this job's journal to another path",
                h.place.host,
                h.place.access_key_id,
                h.place.tenant_id.as_deref().unwrap_or("(none)"),
                h.user_id_type
            ),
        ));
    }
    let len = u64::try_from(st.valid_len).unwrap_or(u64::MAX);
    file.set_len(len)?;
    file.sync_data()?;
    // Reopened in append mode, so the direct writes of `sent` records and the writer
    // thread's always land at the end.
    OpenOptions::new().append(true).open(path)
}

/// Makes a new file's directory entry durable, not only its content.
fn sync_parent(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        File::open(parent)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// The writer thread: waits for a line, takes every other line already waiting,
/// writes and syncs them once (and, the first time, the directory entry of a new
/// journal, `unsynced_dir`), answers every caller. After a failure every later append
/// fails too: a journal with a hole would be worse than a stopped job.
fn commit_loop(
    file: &File,
    mut unsynced_dir: Option<PathBuf>,
    rx: &mpsc::Receiver<Line>,
    syncs: &SyncCount,
) {
    let mut file = file;
    let mut failed: Option<(io::ErrorKind, String)> = None;
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        let result = match &failed {
            Some(_) => Ok(()),
            None => {
                let buf: Vec<u8> = batch.iter().flat_map(|(l, ..)| l.iter().copied()).collect();
                let sync = batch.iter().any(|(_, sync, _)| *sync);
                file.write_all(&buf).and_then(|()| {
                    if !sync {
                        return Ok(());
                    }
                    file.sync_data()?;
                    syncs.files.fetch_add(1, Ordering::Relaxed);
                    if let Some(path) = &unsynced_dir {
                        sync_parent(path)?;
                        syncs.dirs.fetch_add(1, Ordering::Relaxed);
                        unsynced_dir = None;
                    }
                    Ok(())
                })
            }
        };
        if let Err(e) = result {
            failed = Some((e.kind(), e.to_string()));
        }
        for (.., reply) in batch {
            let r = match &failed {
                Some((kind, msg)) => Err(io::Error::new(*kind, msg.clone())),
                None => Ok(()),
            };
            // A caller that stopped waiting (its job was dropped) needs no answer.
            let _ = reply.send(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("journal-write-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    fn header() -> JournalHeader {
        JournalHeader {
            format: crate::bulk::journal::JOURNAL_FORMAT.into(),
            version: crate::bulk::journal::JOURNAL_VERSION,
            place: crate::bulk::journal::JobPlace {
                host: "https://127.0.0.1:1".into(),
                access_key_id: "ak".into(),
                tenant_id: None,
            },
            user_id_type: crate::request::UserIdType::UserId,
            planned: 1,
            ids_digest: "sha256:0".into(),
        }
    }

    fn resigned(call: u64) -> Record {
        Record::Result {
            call,
            outcome: "resigned".into(),
            request_id: None,
            error: None,
        }
    }

    fn syncs(j: &JournalWriter) -> (u64, u64) {
        let files = j.syncs.files.load(Ordering::Relaxed);
        (files, j.syncs.dirs.load(Ordering::Relaxed))
    }

    #[test]
    fn a_new_journals_directory_is_synced_by_its_first_synced_group_and_only_then() {
        let dir = scratch("dirsync");
        let path = dir.join("job.journal");
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let j = JournalWriter::open(&path, false, &header()).unwrap();
            let sent = Record::Sent {
                call: 1,
                user_ids: vec!["u1".into()],
            };
            j.append(&Record::Header(header()), false).await.unwrap();
            j.append(&sent, false).await.unwrap();
            // Nothing counted yet, nothing synced yet: no sync before the first call.
            assert_eq!(syncs(&j), (0, 0));
            j.append(&resigned(1), true).await.unwrap();
            // The first result's sync covers the header, the `sent` and the directory.
            assert_eq!(syncs(&j), (1, 1));
            let second = Record::Sent {
                call: 2,
                user_ids: vec!["u2".into()],
            };
            j.append(&second, true).await.unwrap();
            assert_eq!(syncs(&j), (2, 1));
            drop(j);
            let text = std::fs::read_to_string(&path).unwrap();
            assert_eq!(text.lines().count(), 4, "{text}");
            assert!(text.starts_with("{\"rec\":\"header\""), "{text}");

            // A journal continued by a resumed job is already in its directory.
            let j = JournalWriter::open(&path, true, &header()).unwrap();
            j.append(&resigned(2), true).await.unwrap();
            assert_eq!(syncs(&j), (1, 0));
        });
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn first_lines_cut_short_leave_no_journal() {
        let dir = scratch("cut");
        let path = dir.join("job.journal");
        let err = create_whole(&path, |out| {
            out.write_all(b"{\"rec\":\"header\"}\n{\"rec\":\"earlier\",\"users\":[")?;
            Err(io::Error::other("the disk is full"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "the disk is full");
        // No journal a resume would read as "no earlier users", and no temporary file.
        assert!(names(&dir).is_empty(), "{:?}", names(&dir));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn whole_first_lines_are_the_journal_and_appends_follow_them() {
        let dir = scratch("whole");
        let path = dir.join("job.journal");
        let mut file = create_whole(&path, |out| out.write_all(b"one\ntwo\n")).unwrap();
        file.write_all(b"three\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"one\ntwo\nthree\n");
        assert_eq!(names(&dir), ["job.journal"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_existing_file_is_never_replaced() {
        let dir = scratch("exists");
        let path = dir.join("job.journal");
        std::fs::write(&path, b"the only record of an earlier job\n").unwrap();
        let err = create_whole(&path, |out| out.write_all(b"new\n")).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert!(err.to_string().contains("never overwritten"), "{err}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"the only record of an earlier job\n"
        );
        assert_eq!(names(&dir), ["job.journal"]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
