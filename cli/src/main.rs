//! `authing-resign`: resign Authing users in bulk from the command line, with a
//! per-user report. See `authing-resign --help`.

mod app;
mod args;
mod choices;
mod config;
mod confirm;
mod csv_report;
// A lean build (`--no-default-features`) has no emulator; `--emulator` is then refused.
#[cfg_attr(not(feature = "emulator"), path = "no_emulator.rs")]
mod emulated;
mod exit;
mod generate;
mod ids;
mod interrupt;
mod out;
mod progress;
mod record;
mod report_file;
mod source;
mod summary;
mod text;

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};

use args::{Args, Command};

fn main() -> ExitCode {
    // clap exits with code 2 on usage errors, matching our own usage errors.
    let mut args = parse();
    match args.command.take() {
        Some(Command::Completions { shell }) => {
            generate::completions(shell, &mut std::io::stdout());
            return exit::code(exit::OK);
        }
        Some(Command::Man) => {
            return match generate::man(&mut std::io::stdout()) {
                Ok(()) => exit::code(exit::OK),
                Err(e) => {
                    eprintln!("authing-resign: cannot write the man page: {e}");
                    exit::code(exit::USAGE)
                }
            };
        }
        None => {}
    }
    // Diagnostics only when asked for; the core's events never carry secrets.
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("AUTHING_RESIGN_LOG") {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init();
    }
    // One thread: a job is one task driving its calls, and every hand-off between a
    // caller thread and a worker thread costs a wake-up (futex, context switch) per
    // call. On one thread the client also leaves the other cores to the rest of the
    // machine. (The journal keeps its own writer thread.)
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            crate::errln!("authing-resign: cannot start the async runtime: {e}");
            return exit::code(exit::USAGE);
        }
    };
    match runtime.block_on(app::run(args)) {
        Ok(code) => exit::code(code),
        Err(e) => {
            crate::errln!("authing-resign: {e}");
            exit::code(exit::USAGE)
        }
    }
}

/// Parses the command line; exits with clap's message (code 2) on a usage error.
///
/// `--host` given on the command line conflicts with `--emulator`; a host that comes
/// from `AUTHING_HOST` does not (it is simply not used), so an administrator's usual
/// environment does not stop them from trying the tool on the emulator.
fn parse() -> Args {
    let matches = Args::command().get_matches();
    let mut args = Args::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if args.emulator {
        if matches.value_source("host") == Some(ValueSource::CommandLine) {
            Args::command()
                .error(
                    ErrorKind::ArgumentConflict,
                    "the argument '--host <URL>' cannot be used with '--emulator'",
                )
                .exit();
        }
        args.host = None;
    }
    args
}
