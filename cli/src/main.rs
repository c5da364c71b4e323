//! `authing-resign`: resign Authing users in bulk from the command line, with a
//! per-user report. See `authing-resign --help`.

mod app;
mod args;
mod config;
mod confirm;
mod csv_report;
mod emulated;
mod exit;
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

use clap::Parser;

fn main() -> ExitCode {
    // clap exits with code 2 on usage errors, matching our own usage errors.
    let args = args::Args::parse();
    // Diagnostics only when asked for; the core's events never carry secrets.
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("AUTHING_RESIGN_LOG") {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
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
