//! The entry points of a bulk job: [`plan`], [`ManagementClient::resign_users`] and
//! [`ManagementClient::resign_users_abortable`]. They check the options, read what to
//! resume, open the journal, run the plan and assemble the report.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::bulk::earlier::Resigned;
use crate::bulk::journal::write::JournalWriter;
use crate::bulk::journal::{
    ids_digest, EarlierRecord, JobPlace, JournalHeader, Record, JOURNAL_FORMAT, JOURNAL_VERSION,
};
use crate::bulk::ledger::Ledger;
use crate::bulk::plan::Plan;
use crate::bulk::{run, BulkOptions, BulkReport, CompactReport, EarlierRun, Outcome};
use crate::client::ManagementClient;
use crate::error::Result;
use crate::request::UserIdType;

/// The plan of a job without a client: what [`ManagementClient::resign_users`] with
/// `dry_run` returns (invalid and duplicate ids decided, every other id
/// `not_attempted`, the chunks listed). No network, no credentials needed.
/// Errors only when `chunk_size` is not in 1..=50. (A plan that resumes an earlier run
/// needs the client, whose host, key and tenant the earlier run must match: use
/// `resign_users` with `dry_run` and `resume_from`.)
pub fn plan<S: AsRef<str>>(
    user_ids: &[S],
    user_id_type: UserIdType,
    chunk_size: usize,
) -> Result<BulkReport> {
    plan_compact(user_ids, user_id_type, chunk_size).map(CompactReport::into_report)
}

/// [`plan`], as a [`CompactReport`] (for millions of ids).
pub fn plan_compact<S: AsRef<str>>(
    user_ids: &[S],
    user_id_type: UserIdType,
    chunk_size: usize,
) -> Result<CompactReport> {
    let options = BulkOptions {
        chunk_size,
        dry_run: true,
        ..BulkOptions::default()
    };
    options.validate()?;
    let ids = owned(user_ids);
    let plan = Plan::new(&ids, user_id_type, chunk_size);
    Ok(dry_run_report(
        ids,
        user_id_type,
        plan,
        std::time::Instant::now(),
    ))
}

fn owned<S: AsRef<str>>(user_ids: &[S]) -> Vec<String> {
    user_ids.iter().map(|s| s.as_ref().to_string()).collect()
}

fn dry_run_report(
    ids: Vec<String>,
    user_id_type: UserIdType,
    plan: Plan,
    started: std::time::Instant,
) -> CompactReport {
    let (table, totals) = Ledger::new(plan.table).finish(None, None);
    CompactReport {
        user_id_type,
        dry_run: true,
        totals,
        http_calls: 0,
        elapsed_ms: elapsed_ms(started.elapsed()),
        stopped_early: None,
        verify_only: false,
        lookup_calls: 0,
        ids,
        table,
        chunks: plan.chunks,
    }
}

fn elapsed_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl ManagementClient {
    /// Resigns any number of users of one id type and reports each one's outcome.
    ///
    /// Invalid ids are reported and never sent; exact duplicates are reported; the rest
    /// go in chunks of `chunk_size` with `concurrency` calls in flight, each through the
    /// client's retry logic. A chunk that fails with a 4xx that could be about one id
    /// (not 401/403/429, not a 404 without apiCode, i.e. an unknown route) is split in
    /// halves down to single ids, so the report names exactly who failed; if a single id
    /// then fails with exactly the first chunk failure's status, apiCode and message
    /// while no call of the job has succeeded, the request itself is being rejected and
    /// the job stops. Auth failures, throttling past the retry budget and transport
    /// failures stop the job: unsent users are `not_attempted`. Cancellation and the
    /// job deadline stop it before the next chunk (the deadline also cuts calls in
    /// flight).
    ///
    /// With `journal`, every call and outcome is on disk before it counts; with
    /// `resume_from`, users an earlier run resigned are skipped. Errors, before anything
    /// is sent, for bad options (`chunk_size`, `concurrency`, `deadline`), a journal that
    /// cannot be created ([`crate::Error::Journal`]) and a `resume_from` that cannot be
    /// read or is of another place ([`crate::Error::ResumeMismatch`]); everything else is
    /// in the report.
    pub async fn resign_users<S: AsRef<str>>(
        &self,
        user_ids: &[S],
        user_id_type: UserIdType,
        options: BulkOptions,
    ) -> Result<BulkReport> {
        self.run_bulk(user_ids, user_id_type, options, None)
            .await
            .map(CompactReport::into_report)
    }

    /// [`ManagementClient::resign_users`] with an emergency stop: when `abort` fires,
    /// calls in flight (including one waiting in retry backoff) are cut and the report
    /// comes back at once. Users of a cut call are `failed` with a `cancelled` error,
    /// since the server may or may not have acted on it; users not yet sent are
    /// `not_attempted`. (`options.cancel`, by contrast, lets calls in flight finish.)
    pub async fn resign_users_abortable<S: AsRef<str>>(
        &self,
        user_ids: &[S],
        user_id_type: UserIdType,
        options: BulkOptions,
        abort: CancellationToken,
    ) -> Result<BulkReport> {
        self.run_bulk(user_ids, user_id_type, options, Some(&abort))
            .await
            .map(CompactReport::into_report)
    }

    /// [`ManagementClient::resign_users`] (or, with `abort`,
    /// [`ManagementClient::resign_users_abortable`]) returning the report as the job
    /// keeps it: ~20 bytes per user besides the ids, streamed to a file with
    /// [`CompactReport::write_json`]. For jobs of millions of users.
    pub async fn resign_users_compact<S: AsRef<str>>(
        &self,
        user_ids: &[S],
        user_id_type: UserIdType,
        options: BulkOptions,
        abort: Option<CancellationToken>,
    ) -> Result<CompactReport> {
        self.run_bulk(user_ids, user_id_type, options, abort.as_ref())
            .await
    }

    /// [`ManagementClient::resign_users_compact`] taking the ids by value: the job
    /// keeps this `Vec` instead of a copy of the ids, so a caller that had to build one
    /// (a binding converting a million ids from its language) does not hold them twice.
    pub async fn resign_users_compact_owned(
        &self,
        user_ids: Vec<String>,
        user_id_type: UserIdType,
        options: BulkOptions,
        abort: Option<CancellationToken>,
    ) -> Result<CompactReport> {
        self.run_bulk_owned(user_ids, user_id_type, options, abort.as_ref(), None)
            .await
    }

    /// [`ManagementClient::resign_users_compact_owned`] resuming from an earlier run
    /// already read (by [`EarlierRun::read`] or [`EarlierRun::from_report`]) instead of
    /// reading `options.resume_from` (which still names the file in errors, and is
    /// continued when it is also `options.journal`). For a caller that looks at the
    /// earlier run before the job — the CLI checks where a report was written — and
    /// then plans (`dry_run`) and runs: the file is read once. The record is checked
    /// against this client and id type exactly as `resume_from` is; the job keeps its
    /// `Arc` only until the journal holds the earlier users.
    pub async fn resign_users_resumed(
        &self,
        user_ids: Vec<String>,
        user_id_type: UserIdType,
        options: BulkOptions,
        earlier: Arc<EarlierRun>,
        abort: Option<CancellationToken>,
    ) -> Result<CompactReport> {
        self.run_bulk_owned(
            user_ids,
            user_id_type,
            options,
            abort.as_ref(),
            Some(earlier),
        )
        .await
    }

    /// Where this client's jobs run (what a journal records and a resume checks).
    pub fn job_place(&self) -> JobPlace {
        let o = &self.inner.options;
        JobPlace {
            host: o.host().to_string(),
            access_key_id: o.access_key_id().to_string(),
            tenant_id: o.tenant_id().map(str::to_string),
        }
    }

    async fn run_bulk<S: AsRef<str>>(
        &self,
        user_ids: &[S],
        user_id_type: UserIdType,
        options: BulkOptions,
        abort: Option<&CancellationToken>,
    ) -> Result<CompactReport> {
        self.run_bulk_owned(owned(user_ids), user_id_type, options, abort, None)
            .await
    }

    async fn run_bulk_owned(
        &self,
        ids: Vec<String>,
        user_id_type: UserIdType,
        options: BulkOptions,
        abort: Option<&CancellationToken>,
        earlier: Option<Arc<EarlierRun>>,
    ) -> Result<CompactReport> {
        options.validate()?;
        let started = tokio::time::Instant::now();
        let place = self.job_place();
        let earlier = match (earlier, &options.resume_from) {
            (Some(e), _) => Some(e),
            (None, Some(path)) => Some(Arc::new(EarlierRun::read(path)?)),
            (None, None) => None,
        };
        if let Some(e) = &earlier {
            let path = options.resume_from.as_deref();
            let named = path.unwrap_or(Path::new("(the earlier run)"));
            e.check(named, &place, user_id_type, options.resume_force)?;
        }
        let resigned = earlier.as_deref().map(EarlierRun::resigned_set);
        let plan = Plan::resuming(&ids, user_id_type, options.chunk_size, resigned);
        if options.dry_run {
            return Ok(dry_run_report(ids, user_id_type, plan, started.into_std()));
        }
        let chunks = plan.chunks.clone();
        if options.verify_only {
            // The plan holds what the earlier run did; its list is not needed again.
            drop(earlier);
            // An audit: nobody is resigned, so there is nothing to journal.
            let (mut table, _) = Ledger::new(plan.table).finish(None, None);
            let lookup_calls = self
                .verify_pass(user_id_type, &options, started, abort)
                .run(&mut table, &ids, |o| o == Outcome::NotAttempted)
                .await;
            return Ok(CompactReport {
                user_id_type,
                dry_run: false,
                totals: table.totals(),
                http_calls: 0,
                elapsed_ms: elapsed_ms(started.elapsed()),
                stopped_early: None,
                verify_only: true,
                lookup_calls,
                ids,
                table,
                chunks,
            });
        }
        let journal = match &options.journal {
            Some(path) => Some(
                open_journal(
                    path,
                    options.resume_from.as_deref(),
                    JournalHeader {
                        format: JOURNAL_FORMAT.into(),
                        version: JOURNAL_VERSION,
                        place,
                        user_id_type,
                        planned: chunks.iter().map(|c| c.len() as u64).sum(),
                        ids_digest: ids_digest(chunks.iter().flatten().map(|&i| ids[i].as_str())),
                    },
                    resigned,
                )
                .await?,
            ),
            None => None,
        };
        // The plan and the journal hold what the earlier run did: the list (a million
        // entries for a million-user report) is not kept through the job.
        drop(earlier);
        let job = run::Job {
            inner: &self.inner,
            ids: &ids,
            id_type: user_id_type,
            options: &options,
            abort,
            journal: journal.as_ref(),
        };
        let (ledger, stopped_early, http_calls) = job.execute(plan, started).await;
        let (mut table, mut totals) =
            ledger.finish(stopped_early.as_ref(), options.on_progress.as_ref());
        let mut lookup_calls = 0;
        if options.verify {
            // Verification only reads; what it settles is in the report. The journal
            // keeps what the calls said, so a resume re-sends an `unknown` user even
            // when the lookup saw it resigned (re-resigning succeeds).
            lookup_calls = self
                .verify_pass(user_id_type, &options, started, abort)
                .run(&mut table, &ids, |o| {
                    matches!(o, Outcome::Resigned | Outcome::Unknown)
                })
                .await;
            totals = table.totals();
        }
        if let Some(j) = &journal {
            let end = Record::End {
                totals: totals.clone(),
                stopped_early: stopped_early.clone(),
            };
            // The users are all recorded (and synced) already; a missing `end` only
            // means the journal cannot tell that the job finished, which changes no
            // resume. So it is written, not synced: the OS flushes it within seconds,
            // and the job does not wait one more sync for it.
            if let Err(e) = j.append(&end) {
                tracing::warn!(error = %e, "could not record the end of the job");
            }
        }
        Ok(CompactReport {
            user_id_type,
            dry_run: false,
            totals,
            http_calls,
            elapsed_ms: elapsed_ms(started.elapsed()),
            stopped_early,
            verify_only: false,
            lookup_calls,
            ids,
            table,
            chunks,
        })
    }

    /// The read-back of `verify` and `verify_only`, under the job's deadline and abort.
    fn verify_pass<'a>(
        &'a self,
        id_type: UserIdType,
        options: &'a BulkOptions,
        started: tokio::time::Instant,
        abort: Option<&'a CancellationToken>,
    ) -> crate::verify::Pass<'a> {
        crate::verify::Pass {
            inner: &self.inner,
            id_type,
            options,
            deadline: options.deadline.and_then(|d| started.checked_add(d)),
            abort,
        }
    }
}

/// Opens the journal and records the header and the users carried from the earlier
/// run (unless the journal is the earlier run's, which already holds them).
async fn open_journal(
    path: &Path,
    resume_from: Option<&Path>,
    header: JournalHeader,
    earlier: Option<&Resigned>,
) -> Result<JournalWriter> {
    let continues = resume_from.is_some_and(|r| same_file(r, path));
    match earlier {
        // The header and the earlier users (sorted by id, as the record always listed
        // them) reach `path` together or not at all.
        Some(e) if !continues && e.len() > 0 => JournalWriter::create_whole(path, |out| {
            out.write_all(&Record::Header(header).to_line())?;
            serde_json::to_writer(&mut *out, &EarlierRecord(e))?;
            out.write_all(b"\n")
        }),
        _ => {
            let writer = JournalWriter::open(path, continues, &header)?;
            // Synced, with the file's directory entry, by the first `result`'s
            // group commit (see `journal::write`): not a sync of its own before the
            // first call.
            writer.append(&Record::Header(header))?;
            Ok(writer)
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
