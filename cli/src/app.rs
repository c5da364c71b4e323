//! One run of the tool: read, plan, check, confirm, send, report.

use std::path::Path;

use authing_resign::{
    bulk, BulkOptions, BulkReport, CancellationToken, ManagementClient, UserIdType,
};

use crate::args::Args;
use crate::exit::{self, CliError};
use crate::progress::Progress;
use crate::report_file::{self, Format};
use crate::resume::Done;
use crate::{config, confirm, emulated, ids, summary};

/// Runs the tool; `Ok` carries the exit code of a job that ran (or was planned),
/// `Err` a usage or configuration error (nothing sent).
pub async fn run(args: Args) -> Result<u8, CliError> {
    // Everything that can be wrong with the command line is checked before any id is
    // sent, so a typo never costs a half-finished job.
    let id_type: UserIdType = args.id_type.parse()?;
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
    let done = match &args.resume {
        Some(path) => Done::from_report(&report_file::read_json(path)?, id_type)?,
        None => Done::none(),
    };
    let remaining = done.remaining(&ids);
    let skipped = done.skipped(&ids);
    let planned = bulk::plan(&remaining, id_type, args.chunk_size)?;
    let to_send = planned.totals.not_attempted;
    if args.dry_run {
        return Ok(finish(
            &args,
            &done.merge(&ids, planned),
            "(dry run: no host contacted)",
            skipped,
            format,
        ));
    }
    confirm::check_max_users(to_send, args.max_users)?;

    // Kept alive until the job is over: dropping it stops the server.
    let mut _emulator = None;
    let client_options = if args.emulator {
        let emu = emulated::start(&ids, id_type, &args.emulator_unknown).await?;
        let s = emu.settings();
        let o = config::for_emulator(&args, &emu.url(), &s.access_key_id, &s.access_key_secret)?;
        _emulator = Some(emu);
        o
    } else {
        config::from_env(&args)?
    };
    let host = client_options.host().to_string();
    let from_stdin = args.file.as_deref() == Some(Path::new("-"));
    confirm::confirm(args.yes, from_stdin, to_send, id_type.as_str(), &host)?;
    let client = ManagementClient::new(client_options)?;

    let cancel = CancellationToken::new();
    let watcher = tokio::spawn(watch_ctrl_c(cancel.clone(), args.quiet));
    let progress = Progress::new(args.quiet, remaining.len());
    let options = BulkOptions {
        cancel: Some(cancel),
        on_progress: progress.callback(),
        ..options
    };
    let report = client.resign_users(&remaining, id_type, options).await?;
    progress.finish();
    watcher.abort();
    Ok(finish(
        &args,
        &done.merge(&ids, report),
        &host,
        skipped,
        format,
    ))
}

/// Writes the report file, prints the JSON and the summary; returns the exit code.
fn finish(
    args: &Args,
    report: &BulkReport,
    host: &str,
    skipped: usize,
    format: Option<Format>,
) -> u8 {
    let mut code = exit::for_report(report);
    if let (Some(path), Some(format)) = (&args.report, format) {
        if let Err(e) = report_file::write(path, format, report) {
            eprintln!("authing-resign: {e}");
            code = code.max(exit::INCOMPLETE);
        }
    }
    if args.json {
        match serde_json::to_string_pretty(report) {
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

/// First Ctrl-C: stop before the next chunk, let calls in flight finish, still write
/// the report. Second Ctrl-C: exit at once.
async fn watch_ctrl_c(cancel: CancellationToken, quiet: bool) {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    if !quiet {
        eprintln!("\nauthing-resign: cancelling: waiting for calls in flight, then writing the report (Ctrl-C again to abort)");
    }
    cancel.cancel();
    if tokio::signal::ctrl_c().await.is_ok() {
        eprintln!("authing-resign: aborted; no report written");
        std::process::exit(130);
    }
}
