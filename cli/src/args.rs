//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use clap_complete::Shell;

use crate::choices::{Auth, IdType};

/// Resign Authing users in bulk (POST /api/v3/resign-user-batch) and report what
/// happened to each one. Resignation cannot be undone.
///
/// Credentials come only from the environment (AUTHING_ACCESS_KEY_ID,
/// AUTHING_ACCESS_KEY_SECRET) or --secret-file; the host from --host or AUTHING_HOST.
///
/// Exit codes: 0 every user resigned (with --verify-only: every user seen Resigned);
/// 1 some users failed, are unknown (the answer was lost), were invalid or were not
/// attempted (also after a first Ctrl-C, SIGTERM or SIGHUP stopped the job); 2 usage or
/// configuration error (nothing sent); 3 authentication failure; 130 a second signal
/// cut the calls in flight (the report is still written).
#[derive(Debug, Parser)]
#[command(
    name = "authing-resign",
    version,
    about,
    long_about,
    // `authing-resign completions bash` needs none of the job's flags.
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Args {
    /// Something other than a job (shell completions, the man page).
    #[command(subcommand)]
    pub command: Option<Command>,

    /// User ids to resign (or use --file).
    #[arg(value_name = "IDS", conflicts_with = "file")]
    pub ids: Vec<String>,

    /// Read ids from a file (`-` for stdin): one id per line, or CSV with --column
    /// (a `.csv` file without --column uses the column named like --id-type).
    #[arg(long, short = 'f', value_name = "PATH|-")]
    pub file: Option<PathBuf>,

    /// CSV column holding the ids (the file then needs a header row).
    #[arg(long, value_name = "NAME")]
    pub column: Option<String>,

    /// How the ids are interpreted.
    // Required for a job; an `Option` only so that a subcommand can go without it.
    #[arg(long, value_name = "TYPE", value_enum, required = true)]
    pub id_type: Option<IdType>,

    /// API host (default https://api.authing.cn). Refused with --emulator; an
    /// AUTHING_HOST from the environment is then not used.
    #[arg(long, value_name = "URL", env = crate::config::ENV_HOST)]
    pub host: Option<String>,

    /// Authentication scheme: `signature` (HMAC request signing) or `token`
    /// (management token).
    #[arg(long, value_enum, default_value = "signature")]
    pub auth: Auth,

    /// Language of server messages (zh-CN, en-US, ...).
    #[arg(long, value_name = "L")]
    pub lang: Option<String>,

    /// Tenant id (sent as x-authing-tenant-id).
    #[arg(long, value_name = "T")]
    pub tenant_id: Option<String>,

    /// Read the access key secret from this file (first line) instead of
    /// AUTHING_ACCESS_KEY_SECRET.
    #[arg(long, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,

    /// Calls in flight at once.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub concurrency: usize,

    /// Ids per call (1..=50).
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub chunk_size: usize,

    /// Retries of one call after a 429, a 5xx or a network failure.
    #[arg(long, value_name = "N")]
    pub max_retries: Option<u32>,

    /// Timeout of one HTTP attempt, in seconds.
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,

    /// Show the plan (chunks, invalid and duplicate ids) without sending anything.
    #[arg(long)]
    pub dry_run: bool,

    /// After sending, read the users back (GET /api/v3/get-user-batch) and settle each
    /// one by the status seen: unknown users seen Resigned become resigned, resigned
    /// users seen otherwise become failed; users the lookup does not return stay as
    /// they were, not verified.
    #[arg(long, conflicts_with = "dry_run")]
    pub verify: bool,

    /// Resign nobody: look the ids up and report each one's status (an audit).
    #[arg(long, conflicts_with_all = ["dry_run", "verify", "resume"])]
    pub verify_only: bool,

    /// Do not ask for confirmation (required when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Refuse to resign more users than this.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_users: usize,

    /// Write the report to this file: PATH.json (full report) or PATH.csv (one row per id).
    #[arg(long, value_name = "PATH.json|PATH.csv")]
    pub report: Option<PathBuf>,

    /// The write-ahead journal of this run (default: REPORT.journal beside --report, else
    /// $XDG_STATE_HOME/authing-resign/job-<time>-<pid>.journal, state home defaulting to
    /// ~/.local/state). Every call is recorded before it is sent and every outcome
    /// before it counts, so a run killed at any moment can be resumed. Never
    /// overwritten: an existing file is refused unless it is the journal --resume reads.
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,

    /// Skip users an earlier run resigned. PATH is that run's --report (its journal
    /// PATH.journal is read when it exists, so this works for a run killed at any
    /// moment) or a journal. It must have been written for the same host, access key id
    /// and tenant (or, for --emulator, by an emulator run) and the same --id-type.
    /// Users whose calls were in flight when the run died are sent again.
    #[arg(long, value_name = "PATH")]
    pub resume: Option<PathBuf>,

    /// With --resume: use the record even if it names another host, access key id,
    /// tenant or emulator setting, or names none (reports of older versions).
    #[arg(long, requires = "resume")]
    pub resume_force: bool,

    /// Run against an in-process Authing emulator seeded with the given ids (every
    /// valid id except those containing "unknown" and those given with
    /// --emulator-unknown). No Authing account needed.
    #[arg(long, hide = !cfg!(feature = "emulator"))]
    pub emulator: bool,

    /// With --emulator: an id the emulator should not know (repeatable).
    #[arg(
        long,
        value_name = "ID",
        requires = "emulator",
        hide = !cfg!(feature = "emulator")
    )]
    pub emulator_unknown: Vec<String>,

    /// No progress and no summary (errors and --json output only).
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Print the full report as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// What the tool does besides running a job.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a shell completion script on stdout, e.g.
    /// `authing-resign completions bash > /etc/bash_completion.d/authing-resign`.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the man page (roff) on stdout; `make man` writes it to
    /// target/man/authing-resign.1.
    #[command(hide = true)]
    Man,
}
