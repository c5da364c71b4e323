//! Writing a journal. The job writes every line itself, straight into the file (opened
//! with `O_APPEND`): one `write` per turn of its loop, holding the `result` lines of the
//! calls that just finished and the `sent` lines of the calls about to start, so a line
//! is in the OS (it survives the process being killed) before its call is sent or its
//! users are counted. One thread syncs: when the job has written results, it makes them
//! durable with one `fdatasync` and tells the job how many are on disk, and the job
//! counts those. A `sent` line is synced with the next sync; losing it to a power cut
//! can only make a resumed job treat an in-flight call as never sent, and resignation
//! is idempotent, so both are sent again. What must never be lost — a `result` before
//! its users count — is always synced.
//!
//! A new journal's header and its directory entry are made durable the same way: by the
//! first sync, which syncs the directory too, rather than by syncs of their own before
//! the first call (two serial syncs per job that weighed as much as every call's share
//! of the syncs in a 200-call job). Before that first sync nothing has been counted, and
//! a power cut can only lose what an unsynced `sent` can. A journal continued by a
//! resumed job gets the same directory sync: the run that created it may have died
//! before its first sync, leaving an entry nothing ever made durable.
//!
//! Syncs start at most once per [`GROUP_WINDOW`]: results written sooner after the
//! previous sync began wait for the window to end, and every result written meanwhile
//! shares that sync, so the number of syncs a second stays bounded however fast calls
//! finish. The wait never holds a concurrency slot (the job sends on while its results
//! wait), only delays when their users count, and is skipped for the job's last results
//! (nothing in flight or about to start), so a job never ends later for it: the trade of
//! PostgreSQL's `commit_delay` and MySQL's `binlog_group_commit_sync_delay`.
//!
//! No thread is woken per call: the sync thread is woken at most once per sync, and the
//! job once per sync (before, a writer thread was handed each `result`, woken, and
//! answered). Measured in-process at ~8,000 calls/s the journal's cost stayed at ~10 %
//! of throughput, within noise of the previous design (core/README).

use std::fs::{File, OpenOptions};
use std::future::Future;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::Poll;
use std::time::{Duration, Instant};

use futures_util::task::AtomicWaker;

use crate::bulk::journal::{read, JournalHeader, Record};
use crate::error::{Error, Result};

/// The shortest time between the starts of two syncs (see the module's doc): at most
/// 100 syncs a second.
pub(crate) const GROUP_WINDOW: Duration = Duration::from_millis(10);

/// An open journal, written by one job. Dropping it lets the sync thread make durable
/// what was written and exit.
pub(crate) struct JournalWriter {
    path: PathBuf,
    /// Opened in append mode: every `write` lands at the end.
    file: Arc<File>,
    shared: Arc<Shared>,
}

/// What the job and the sync thread share.
struct Shared {
    state: Mutex<SyncState>,
    /// Wakes the sync thread: results written while it is idle, results that must be
    /// synced now while it waits for the window, or the journal dropped.
    work: Condvar,
    /// Wakes the job waiting for a sync.
    synced: AtomicWaker,
}

/// The sync thread's progress, in `result` lines: each is numbered by `written` when the
/// job notes it.
#[derive(Default)]
struct SyncState {
    /// Results written into the file so far.
    written: u64,
    /// Results on disk so far.
    synced: u64,
    /// Results that must be synced without waiting for the window were written.
    urgent: bool,
    phase: Phase,
    /// The first failed write or sync; nothing is written after it (a journal with a
    /// hole would be worse than a stopped job), nor synced after a failed sync.
    failed: Option<(io::ErrorKind, String)>,
    /// A sync failed: the thread has stopped, and what is written will never be known
    /// to be on disk. (After a failed write, what was written before is still synced.)
    sync_failed: bool,
    /// The writer was dropped: sync what is written, then exit.
    closed: bool,
    /// File and directory syncs made (read by the tests of the deferred syncs).
    file_syncs: u64,
    dir_syncs: u64,
}

/// What the sync thread is doing, so that the job wakes it only when it must.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Phase {
    /// Nothing to sync: waiting for results.
    #[default]
    Idle,
    /// Results to sync: waiting for the window to end.
    Window,
    Syncing,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, SyncState> {
        // Nothing panics while holding it; a poisoned state is still consistent.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl SyncState {
    /// Records `e` unless an earlier failure is already recorded.
    fn fail(&mut self, e: &io::Error) {
        self.failed.get_or_insert_with(|| (e.kind(), e.to_string()));
    }

    /// The recorded failure, as an error again.
    fn failure(&self) -> Option<io::Error> {
        let (kind, msg) = self.failed.as_ref()?;
        Some(io::Error::new(*kind, msg.clone()))
    }
}

impl JournalWriter {
    /// Opens the journal at `path`: a new file, or, with `continue_existing`, the end
    /// of an existing journal (cut to its last complete line, so a torn line left by a
    /// crash never ends up in the middle), which must record `header`'s place and id
    /// type. An existing file is never overwritten.
    ///
    /// The file's directory entry is synced with the first synced record (see the
    /// module's doc): a continued journal's too, since the run that created it may have
    /// died before syncing anything.
    pub(crate) fn open(
        path: &Path,
        continue_existing: bool,
        header: &JournalHeader,
    ) -> Result<Self> {
        let file = if continue_existing {
            open_existing(path, header)
        } else {
            create_new(path)
        };
        let file = file.map_err(|e| journal_error(path, &e))?;
        Self::start(path, file, Some(path.to_path_buf()))
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

    /// Starts the sync thread; `unsynced_dir` is the path of a journal whose directory
    /// entry the first sync must make durable.
    fn start(path: &Path, file: File, unsynced_dir: Option<PathBuf>) -> Result<Self> {
        Self::start_with_window(path, file, unsynced_dir, GROUP_WINDOW)
    }

    /// [`Self::start`] with another group window (the tests use long ones).
    fn start_with_window(
        path: &Path,
        file: File,
        unsynced_dir: Option<PathBuf>,
        window: Duration,
    ) -> Result<Self> {
        let file = Arc::new(file);
        let shared = Arc::new(Shared {
            state: Mutex::default(),
            work: Condvar::new(),
            synced: AtomicWaker::new(),
        });
        let (owned, theirs) = (Arc::clone(&file), Arc::clone(&shared));
        std::thread::Builder::new()
            .name("authing-resign-journal".into())
            .spawn(move || sync_loop(&owned, unsynced_dir, &theirs, window))
            .map_err(|e| journal_error(path, &e))?;
        Ok(Self {
            path: path.to_path_buf(),
            file,
            shared,
        })
    }

    /// Writes whole lines (records', newlines included) in one `write`: in the OS when
    /// it returns (they survive the process being killed, not a power cut). After a
    /// failed write or sync every write fails with that failure: a line written after a
    /// torn one would make the journal unreadable, and one after a hole would hide it.
    pub(crate) fn write(&self, lines: &[u8]) -> Result<()> {
        if let Some(e) = self.shared.lock().failure() {
            return Err(journal_error(&self.path, &e));
        }
        (&*self.file).write_all(lines).map_err(|e| {
            self.write_failed(&e);
            journal_error(&self.path, &e)
        })
    }

    /// Records a failed write. Nothing more will be written, so the results written
    /// before it are synced at once (not after the window), and count once synced.
    fn write_failed(&self, e: &io::Error) {
        let mut st = self.shared.lock();
        st.fail(e);
        st.urgent = true;
        drop(st);
        self.shared.work.notify_one();
    }

    /// Writes `rec`, not synced (see [`Self::write`]).
    pub(crate) fn append(&self, rec: &Record) -> Result<()> {
        self.write(&rec.to_line())
    }

    /// Notes that `results` more `result` lines have been written and must be synced;
    /// `now` when nothing else is coming to share their sync (the job's last results).
    /// Returns the number to wait for with [`Self::synced`].
    pub(crate) fn wrote_results(&self, results: u64, now: bool) -> u64 {
        let mut st = self.shared.lock();
        st.written += results;
        st.urgent |= now;
        let wake = match st.phase {
            Phase::Idle => true,
            Phase::Window => st.urgent,
            Phase::Syncing => false,
        };
        let through = st.written;
        drop(st);
        if wake {
            self.shared.work.notify_one();
        }
        through
    }

    /// Waits until the first `results` results are on disk; returns how many are (at
    /// least `results`), or why they never will be (a failed sync).
    pub(crate) fn synced(&self, results: u64) -> impl Future<Output = Result<u64>> + '_ {
        std::future::poll_fn(move |cx| {
            self.shared.synced.register(cx.waker());
            let st = self.shared.lock();
            if st.synced >= results {
                Poll::Ready(Ok(st.synced))
            } else if let Some(e) = st.failure().filter(|_| st.sync_failed) {
                Poll::Ready(Err(journal_error(&self.path, &e)))
            } else {
                Poll::Pending
            }
        })
    }
}

impl Drop for JournalWriter {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.work.notify_one();
    }
}

/// The error of a journal that cannot be opened, written or synced.
pub(crate) fn journal_error(path: &Path, e: &io::Error) -> Error {
    Error::Journal {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// A new, empty journal (its directory entry is synced later, see [`sync_loop`]).
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

/// The sync thread: waits for written results, for the window since the previous sync
/// began to end (unless some must be synced now), syncs the file (the first time also a
/// journal's directory entry, `unsynced_dir`) and wakes the job. Exits once the
/// writer is dropped and everything written is synced, or after a failed sync.
fn sync_loop(file: &File, mut unsynced_dir: Option<PathBuf>, shared: &Shared, window: Duration) {
    let wait = |st, left: Option<Duration>| match left {
        None => shared.work.wait(st).unwrap_or_else(PoisonError::into_inner),
        Some(left) => {
            let waited = shared.work.wait_timeout(st, left);
            waited.unwrap_or_else(PoisonError::into_inner).0
        }
    };
    let mut last_sync: Option<Instant> = None;
    let mut st = shared.lock();
    loop {
        st.phase = Phase::Idle;
        while st.written == st.synced && !st.closed {
            st = wait(st, None);
        }
        if st.written == st.synced {
            return;
        }
        if let Some(until) = last_sync.map(|t| t + window) {
            st.phase = Phase::Window;
            while !st.urgent && !st.closed {
                let Some(left) = until.checked_duration_since(Instant::now()) else {
                    break;
                };
                st = wait(st, Some(left));
            }
        }
        st.phase = Phase::Syncing;
        st.urgent = false;
        let through = st.written;
        drop(st);
        last_sync = Some(Instant::now());
        let dir = unsynced_dir.take();
        let synced = file.sync_data().and_then(|()| match &dir {
            Some(path) => sync_parent(path),
            None => Ok(()),
        });
        st = shared.lock();
        match synced {
            Ok(()) => {
                st.synced = through;
                st.file_syncs += 1;
                st.dir_syncs += u64::from(dir.is_some());
            }
            Err(e) => {
                st.fail(&e);
                st.sync_failed = true;
            }
        }
        let failed = st.sync_failed;
        drop(st);
        shared.synced.wake();
        if failed {
            return;
        }
        st = shared.lock();
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
        let st = j.shared.lock();
        (st.file_syncs, st.dir_syncs)
    }

    /// Writes `results`' lines as the job does and notes them; returns the number to
    /// wait for.
    fn write_results(j: &JournalWriter, results: &[Record], now: bool) -> u64 {
        let lines: Vec<u8> = results.iter().flat_map(Record::to_line).collect();
        j.write(&lines).unwrap();
        j.wrote_results(results.len() as u64, now)
    }

    #[test]
    fn a_new_journals_directory_is_synced_by_its_first_sync_and_only_then() {
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
            j.append(&Record::Header(header())).unwrap();
            j.append(&sent).unwrap();
            // Nothing counted yet, nothing synced yet: no sync before the first call.
            assert_eq!(syncs(&j), (0, 0));
            let one = write_results(&j, &[resigned(1)], false);
            assert_eq!(j.synced(one).await.unwrap(), 1);
            // The first result's sync covers the header, the `sent` and the directory.
            assert_eq!(syncs(&j), (1, 1));
            j.append(&Record::Sent {
                call: 2,
                user_ids: vec!["u2".into()],
            })
            .unwrap();
            let two = write_results(&j, &[resigned(2)], false);
            assert_eq!(j.synced(two).await.unwrap(), 2);
            assert_eq!(syncs(&j), (2, 1));
            drop(j);
            let text = std::fs::read_to_string(&path).unwrap();
            assert_eq!(text.lines().count(), 5, "{text}");
            assert!(text.starts_with("{\"rec\":\"header\""), "{text}");

            // A journal continued by a resumed job: the run that created it may have
            // died before syncing its directory entry, so the first sync does it.
            let j = JournalWriter::open(&path, true, &header()).unwrap();
            let again = write_results(&j, &[resigned(2)], true);
            assert_eq!(j.synced(again).await.unwrap(), 1);
            assert_eq!(syncs(&j), (1, 1));
        });
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn results_within_the_window_share_one_sync_and_the_last_ones_do_not_wait() {
        let dir = scratch("window");
        let path = dir.join("job.journal");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            // A window far longer than the test: results that waited for it would show
            // as a test taking a minute.
            let window = Duration::from_secs(60);
            let file = create_new(&path).unwrap();
            let j =
                JournalWriter::start_with_window(&path, file, Some(path.clone()), window).unwrap();
            let started = Instant::now();
            // The first sync does not wait: no sync began within the window.
            let one = write_results(&j, &[resigned(1)], false);
            j.synced(one).await.unwrap();
            assert_eq!(syncs(&j), (1, 1));
            // Two more, in two writes, within the window: they wait for it.
            let two = write_results(&j, &[resigned(2)], false);
            let second = j.synced(two);
            let meanwhile = async {
                tokio::time::sleep(Duration::from_millis(100)).await;
                assert_eq!(syncs(&j), (1, 1), "synced before the window ended");
                let three = write_results(&j, &[resigned(3)], false);
                tokio::time::sleep(Duration::from_millis(100)).await;
                assert_eq!(syncs(&j), (1, 1), "synced before the window ended");
                // The job's last results end the wait, for all three.
                let four = write_results(&j, &[resigned(4)], true);
                (three, j.synced(four).await.unwrap())
            };
            let (second, (three, synced)) = tokio::join!(second, meanwhile);
            assert_eq!((second.unwrap(), three, synced), (4, 3, 4));
            assert_eq!(syncs(&j), (2, 1));
            assert!(started.elapsed() < window / 2, "{:?}", started.elapsed());
        });
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn results_written_before_a_failed_write_are_synced_before_they_count() {
        let dir = scratch("failed-write");
        let path = dir.join("job.journal");
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let window = Duration::from_secs(60);
            let file = create_new(&path).unwrap();
            let j = JournalWriter::start_with_window(&path, file, None, window).unwrap();
            let started = Instant::now();
            let one = write_results(&j, &[resigned(1)], false);
            j.synced(one).await.unwrap();
            // Written within the window: it waits for the next sync...
            let two = write_results(&j, &[resigned(2)], false);
            // ...when the job's next write fails (recorded as `write` records ENOSPC).
            j.write_failed(&io::Error::other("the disk is full"));
            // The result written before the failure is synced, at once, before it
            // counts; the failure is not a reason to count it unsynced.
            assert_eq!(j.synced(two).await.unwrap(), 2);
            assert_eq!(syncs(&j), (2, 0));
            assert!(started.elapsed() < window / 2, "{:?}", started.elapsed());
            // Nothing is written after the failure.
            let e = j.write(b"{}\n").unwrap_err();
            assert!(e.to_string().contains("the disk is full"), "{e}");
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
