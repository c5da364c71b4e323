//! One run of the tool: read, plan, check, confirm, send, report.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use authing_resign::bulk::EarlierRun;
use authing_resign::{
    bulk, BulkOptions, CancellationToken, CompactReport, Error, ManagementClient, ResumeKey,
    UserIdType,
};

use crate::args::Args;
use crate::exit::{self, usage, CliError};
use crate::progress::Progress;
use crate::report_file::{self, Document, EarlierReport, Format};
use crate::source::{self, Source};
use crate::{config, confirm, emulated, ids, interrupt, record, summary};

/// Runs the tool; `Ok` carries the exit code of a job that ran (or was planned),
/// `Err` a usage or configuration error (nothing sent). A report file this run created
/// is removed again when nothing was sent.
pub async fn run(args: Args) -> Result<u8, CliError> {
    let created = match &args.report {
        Some(p) if !p.exists() => Some(p.clone()),
        _ => None,
    };
    let result = run_checked(&args).await;
    if let (Err(_), Some(p)) = (&result, created) {
        let _ = std::fs::remove_file(p);
    }
    result
}

async fn run_checked(args: &Args) -> Result<u8, CliError> {
    let watch = interrupt::Watch::start(args.quiet);
    // Everything that can be wrong with the command line is checked before any id is
    // sent, so a typo never costs a half-finished job.
    let id_type: UserIdType = match args.id_type {
        Some(t) => t.0,
        // clap requires --id-type for a job; this only guards a future subcommand.
        None => return Err(exit::usage("--id-type is required")),
    };
    if args.emulator {
        emulated::check()?;
    }
    let format = args
        .report
        .as_deref()
        .map(report_file::format_of)
        .transpose()?;
    let options = BulkOptions {
        chunk_size: args.chunk_size,
        concurrency: args.concurrency,
        verify: args.verify,
        verify_only: args.verify_only,
        ..BulkOptions::default()
    };
    options.validate()?;
    if let Some(p) = &args.report {
        record::check_writable(p)?;
    }
    let ids = ids::read(args)?;
    if args.dry_run && args.resume.is_none() {
        // Nothing to check against a host: no credentials needed.
        let doc = Document {
            report: bulk::plan_compact(&ids, id_type, args.chunk_size)?,
            source: Some(Source::dry_run(args.emulator, args.tenant_id.as_deref())),
        };
        let host = "(dry run: no host contacted)";
        return Ok(finish(args, &doc, host, format, None));
    }
    let report = args
        .resume
        .as_deref()
        .map(report_file::read_for_resume)
        .transpose()?
        .flatten();
    let resume_from = args.resume.as_deref().map(record::resume_source);

    // Kept alive until the job is over: dropping it stops the server.
    let (client_options, _emulator) = if args.emulator {
        let (o, emu) = emulated::options(args, &ids, id_type).await?;
        (o, Some(emu))
    } else {
        (config::from_env(args)?, None)
    };
    let source = Source::of(args.emulator, &client_options);
    let report_force = check_report(args, report.as_ref(), &ids, &source)?;
    let host = client_options.host().to_string();
    let client = ManagementClient::new(client_options)?;
    // What the job resumes from, read once and handed to the core's plan and run: the
    // report read above, or the journal (beside it, or given), read by the core.
    let earlier = match (&resume_from, report) {
        (Some(from), Some(r)) if args.resume.as_deref() == Some(from.as_path()) => {
            Some(Arc::new(r.record))
        }
        (Some(from), _) => Some(Arc::new(EarlierRun::read(from).map_err(resume_error)?)),
        (None, _) => None,
    };
    let force = report_force.unwrap_or_else(|| {
        // A journal: the core checks host, key and tenant; for --emulator, the tool
        // takes a journal of a loopback host for an emulator run.
        let local = |e: &EarlierRun| e.host().is_some_and(|h| h.starts_with("http://127.0.0.1:"));
        args.resume_force || (args.emulator && earlier.as_deref().is_some_and(local))
    });
    let options = BulkOptions {
        resume_from,
        resume_force: force,
        ..options
    };

    // The core plans, reading and checking the earlier run exactly as the real run
    // will: what --dry-run shows, what --max-users and the confirmation count.
    let plan_options = BulkOptions {
        dry_run: true,
        // The plan is the same; a dry run never looks anyone up.
        verify: false,
        verify_only: false,
        ..options.clone()
    };
    let planned = job(
        &client,
        ids.clone(),
        id_type,
        plan_options,
        earlier.clone(),
        None,
    )
    .await
    .map_err(resume_error)?;
    if args.dry_run {
        let doc = Document {
            report: planned,
            source: Some(source),
        };
        return Ok(finish(args, &doc, &host, format, None));
    }
    // Counts are u64 in the core; a plan is built from ids held in memory, so it fits.
    let to_send = usize::try_from(planned.totals.not_attempted).unwrap_or(usize::MAX);
    // The real run plans again; the two plans of a million ids need not coexist.
    drop(planned);
    if args.verify_only {
        let report = job(&client, ids, id_type, options, earlier, None).await?;
        let doc = Document {
            report,
            source: Some(source),
        };
        return Ok(finish(args, &doc, &host, format, None));
    }
    confirm::check_max_users(to_send, args.max_users)?;
    let from_stdin = args.file.as_deref() == Some(Path::new("-"));
    confirm::confirm(args.yes, from_stdin, to_send, id_type.as_str(), &host)?;

    let journal = record::journal_path(args.journal.as_deref(), args.report.as_deref())?;
    announce_journal(args, &journal);
    let (cancel, abort) = (watch.cancel.clone(), watch.abort.clone());
    watch
        .job_started
        .store(true, std::sync::atomic::Ordering::SeqCst);
    // Nothing to send (all resumed, invalid or duplicate): no progress to show.
    let progress = Progress::new(args.quiet || to_send == 0, ids.len());
    let options = BulkOptions {
        cancel: Some(cancel),
        on_progress: progress.callback(),
        journal: Some(journal.clone()),
        ..options
    };
    // The ids are not needed after this: the job keeps them (no second copy), and the
    // earlier run only until its journal holds it.
    let report = job(&client, ids, id_type, options, earlier, Some(abort.clone()))
        .await
        .map_err(resume_error)?;
    progress.finish();
    drop(watch);
    let doc = Document {
        report,
        source: Some(source),
    };
    let code = finish(args, &doc, &host, format, Some(&journal));
    Ok(if abort.is_cancelled() {
        exit::INTERRUPTED
    } else {
        code
    })
}

/// A job on the core (a plan with `dry_run`; `--verify-only` resigns nobody, so no
/// limit, no confirmation and no journal), resuming from `earlier` when there is one.
async fn job(
    client: &ManagementClient,
    ids: Vec<String>,
    id_type: UserIdType,
    options: BulkOptions,
    earlier: Option<Arc<EarlierRun>>,
    abort: Option<CancellationToken>,
) -> Result<CompactReport, Error> {
    match earlier {
        Some(e) => {
            client
                .resign_users_resumed(ids, id_type, options, e, abort)
                .await
        }
        None => {
            client
                .resign_users_compact_owned(ids, id_type, options, abort)
                .await
        }
    }
}

/// Says where the journal is before the first call (even with --quiet when there is
/// no --report: it is then the only record), and how to resume from it.
fn announce_journal(args: &Args, journal: &Path) {
    if args.quiet && args.report.is_some() {
        return;
    }
    let resume = args.report.as_deref().unwrap_or(journal);
    crate::errln!(
        "authing-resign: journal: {} (if this run is interrupted: --resume {})",
        journal.display(),
        resume.display()
    );
}

/// Refuses to skip users on the strength of a report written for another host, key,
/// tenant or emulator (or one that does not say), unless `--resume-force`. A report
/// that skips nobody changes nothing, so it is not checked. `None` when `--resume`
/// gave no report (a journal: the core checks its place); else whether the core must
/// accept the earlier record's place as is: with `--resume-force`, and for
/// `--emulator`, whose every run is a fresh emulator on a new port (the tool checked
/// that the earlier run was an emulator run).
fn check_report(
    args: &Args,
    report: Option<&EarlierReport>,
    ids: &[String],
    now: &Source,
) -> Result<Option<bool>, CliError> {
    let (Some(path), Some(report)) = (&args.resume, report) else {
        return Ok(None);
    };
    if !ids.iter().any(|id| report.record.resigned(id).is_some()) {
        return Ok(Some(true));
    }
    if let Some(warning) =
        source::check_resume(path, report.source.as_ref(), now, args.resume_force)?
    {
        crate::errln!("authing-resign: warning: {warning}");
    }
    Ok(Some(args.resume_force || args.emulator))
}

/// The core's resume and journal refusals, with what the tool's user can do about them.
fn resume_error(e: Error) -> CliError {
    match &e {
        Error::ResumeMismatch {
            field: ResumeKey::UserIdType,
            ..
        } => usage(format!("--resume: {e} (--id-type must match)")),
        Error::ResumeMismatch { .. } => usage(format!(
            "--resume: {e}; users it resigned there are not resigned here. Resume from a \
             record of this run's host, or pass --resume-force if you are sure its resigned \
             users are resigned here too"
        )),
        Error::Journal { reason, .. } if reason.contains("never overwritten") => usage(format!(
            "{e} (--resume with that run's --report or journal continues it; --journal PATH \
             picks another file); nothing was sent"
        )),
        _ => e.into(),
    }
}

/// Writes the report file, prints the JSON and the summary; returns the exit code.
fn finish(
    args: &Args,
    doc: &Document,
    host: &str,
    format: Option<Format>,
    journal: Option<&PathBuf>,
) -> u8 {
    let report: &CompactReport = &doc.report;
    let mut code = exit::for_report(report);
    if let (Some(path), Some(format)) = (&args.report, format) {
        if let Err(e) = report_file::write(path, format, doc) {
            crate::errln!("authing-resign: {e}");
            code = code.max(exit::INCOMPLETE);
        }
    }
    if args.json {
        crate::out::stdout_with(|out| doc.write_json(out));
    }
    if !args.quiet {
        let skipped = report.users().filter(|u| u.earlier_run).count();
        let mut text = summary::render(report, host, skipped);
        if let Some(j) = journal {
            text.push_str(&format!("journal: {}\n", j.display()));
        }
        // With --json, stdout carries only the JSON document.
        if args.json {
            crate::err!("{text}");
        } else {
            crate::out!("{text}");
        }
    }
    code
}
