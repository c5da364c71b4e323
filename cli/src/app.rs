//! One run of the tool: read, plan, check, confirm, send, report.

use std::path::Path;

use authing_resign::{bulk, BulkOptions, CancellationToken, ManagementClient, UserIdType};

use crate::args::Args;
use crate::exit::{self, CliError};
use crate::progress::Progress;
use crate::report_file::{self, Document, Format};
use crate::resume::Done;
use crate::source::{self, Source};
use crate::{config, confirm, emulated, ids, interrupt, summary};

/// Runs the tool; `Ok` carries the exit code of a job that ran (or was planned),
/// `Err` a usage or configuration error (nothing sent).
pub async fn run(args: Args) -> Result<u8, CliError> {
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
        ..BulkOptions::default()
    };
    options.validate()?;

    let ids = ids::read(&args)?;
    let earlier = args
        .resume
        .as_deref()
        .map(report_file::read_json)
        .transpose()?;
    let done = match &earlier {
        Some(doc) => Done::from_report(&doc.report, id_type)?,
        None => Done::none(),
    };
    let remaining = done.remaining(&ids);
    let skipped = done.skipped(&ids);
    let planned = bulk::plan(&remaining, id_type, args.chunk_size)?;
    // Counts are u64 in the core; a plan is built from ids held in memory, so it fits.
    let to_send = usize::try_from(planned.totals.not_attempted).unwrap_or(usize::MAX);
    if args.dry_run {
        let now = Source::dry_run(args.emulator, args.tenant_id.as_deref());
        check_resume(&args, earlier.as_ref(), skipped, &now)?;
        // A plan that skips users keeps the provenance of the report that resigned them.
        let source = match &earlier {
            Some(doc) if skipped > 0 => doc.source.clone(),
            _ => Some(now),
        };
        let (report, earlier_run) = done.merge(&ids, planned);
        let doc = Document {
            report,
            source,
            earlier_run,
        };
        return Ok(finish(
            &args,
            &doc,
            "(dry run: no host contacted)",
            skipped,
            format,
        ));
    }
    confirm::check_max_users(to_send, args.max_users)?;

    // Kept alive until the job is over: dropping it stops the server.
    let (client_options, _emulator) = if args.emulator {
        let (o, emu) = emulated::options(&args, &ids, id_type).await?;
        (o, Some(emu))
    } else {
        (config::from_env(&args)?, None)
    };
    let source = Source::of(args.emulator, &client_options);
    check_resume(&args, earlier.as_ref(), skipped, &source)?;
    let host = client_options.host().to_string();
    let from_stdin = args.file.as_deref() == Some(Path::new("-"));
    confirm::confirm(args.yes, from_stdin, to_send, id_type.as_str(), &host)?;
    let client = ManagementClient::new(client_options)?;

    let (cancel, abort) = (CancellationToken::new(), CancellationToken::new());
    let watcher = tokio::spawn(interrupt::watch(cancel.clone(), abort.clone(), args.quiet));
    // Nothing to send (all resumed, invalid or duplicate): no progress to show.
    let progress = Progress::new(args.quiet || to_send == 0, remaining.len());
    let options = BulkOptions {
        cancel: Some(cancel),
        on_progress: progress.callback(),
        ..options
    };
    let report = client
        .resign_users_abortable(&remaining, id_type, options, abort.clone())
        .await?;
    progress.finish();
    watcher.abort();
    let (report, earlier_run) = done.merge(&ids, report);
    let doc = Document {
        report,
        source: Some(source),
        earlier_run,
    };
    let code = finish(&args, &doc, &host, skipped, format);
    Ok(if abort.is_cancelled() {
        exit::INTERRUPTED
    } else {
        code
    })
}

/// Refuses to skip users on the strength of a report written for another host, key,
/// tenant or emulator (or one that does not say), unless `--resume-force`. A report
/// that skips nobody changes nothing, so it is not checked.
fn check_resume(
    args: &Args,
    earlier: Option<&Document>,
    skipped: usize,
    now: &Source,
) -> Result<(), CliError> {
    let (Some(path), Some(doc)) = (&args.resume, earlier) else {
        return Ok(());
    };
    if skipped == 0 {
        return Ok(());
    }
    if let Some(warning) = source::check_resume(path, doc.source.as_ref(), now, args.resume_force)?
    {
        eprintln!("authing-resign: warning: {warning}");
    }
    Ok(())
}

/// Writes the report file, prints the JSON and the summary; returns the exit code.
fn finish(args: &Args, doc: &Document, host: &str, skipped: usize, format: Option<Format>) -> u8 {
    let report = &doc.report;
    let mut code = exit::for_report(report);
    if let (Some(path), Some(format)) = (&args.report, format) {
        if let Err(e) = report_file::write(path, format, doc) {
            eprintln!("authing-resign: {e}");
            code = code.max(exit::INCOMPLETE);
        }
    }
    if args.json {
        match doc.to_json().and_then(|v| serde_json::to_string_pretty(&v)) {
            Ok(json) => println!("{json}"),
            Err(e) => eprintln!("authing-resign: cannot serialize the report: {e}"),
        }
    }
    if !args.quiet {
        let text = summary::render(report, host, skipped);
        // With --json, stdout carries only the JSON document.
        if args.json {
            eprint!("{text}");
        } else {
            print!("{text}");
        }
    }
    code
}
