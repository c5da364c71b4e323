//! `authing-emulator`: runs the emulator until killed. The first stdout line is
//! `authing-emulator listening on <url>`, so tests in any language can start it and read
//! where it is.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use authing_emulator::{
    Credentials, Emulator, NewUser, RateLimit, Settings, TlsConfig, UnknownIdPolicy,
};
// The control API's bounds, so no flag can overflow the emulator's time arithmetic.
use authing_emulator::limits::{MAX_RPS, MAX_SECS};
use clap::{Parser, ValueEnum};

/// A strict, in-memory emulator of Authing's Management API for tests.
#[derive(Parser, Debug)]
#[command(name = "authing-emulator", version)]
struct Args {
    /// Address to bind (loopback by default).
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to bind; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Access key id clients must use.
    #[arg(long, env = "AUTHING_EMULATOR_ACCESS_KEY_ID")]
    access_key_id: Option<String>,
    /// Access key secret clients must use (prefer the environment variable: argv is visible to other users).
    #[arg(
        long,
        env = "AUTHING_EMULATOR_ACCESS_KEY_SECRET",
        hide_env_values = true
    )]
    access_key_secret: Option<String>,
    /// User pool id carried by management tokens.
    #[arg(long)]
    userpool_id: Option<String>,
    /// JSON file with an array of users (UserDto field names) to seed at start and on reset.
    #[arg(long, value_name = "FILE.json")]
    users: Option<PathBuf>,
    /// Management token lifetime in seconds (1 to 31536000, i.e. 365 days).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=MAX_SECS))]
    token_ttl: Option<u64>,
    /// What a resignation naming an unknown user does.
    #[arg(long, value_enum)]
    unknown_ids: Option<UnknownIds>,
    /// Accepted distance between a signed request's date and the server clock, in seconds (at most 31536000).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(0..=MAX_SECS))]
    clock_skew: Option<u64>,
    /// Requests per second before statusCode 429 (1 to 1000000).
    #[arg(long, value_name = "RPS", value_parser = clap::value_parser!(u32).range(1..=MAX_RPS as i64))]
    rate_limit: Option<u32>,
    /// Retry-After (seconds) sent with throttled answers (at most 31536000).
    #[arg(long, value_name = "SECS", requires = "rate_limit", value_parser = clap::value_parser!(u64).range(0..=MAX_SECS))]
    retry_after: Option<u64>,
    /// PEM certificate chain: serve HTTPS.
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key for --tls-cert.
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum UnknownIds {
    Reject,
    Ignore,
}

fn read_text(path: &Path, what: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {what} {}: {e}", path.display()))
}

fn settings(args: Args) -> Result<Settings, String> {
    let mut s = Settings::default();
    let Some(credentials) =
        Credentials::given(args.access_key_id, args.access_key_secret, args.userpool_id)
    else {
        let flags = "--access-key-id, --access-key-secret and --userpool-id";
        return Err(format!("{flags} must not be empty"));
    };
    credentials.apply(&mut s);
    if let Some(v) = args.token_ttl {
        s.token_ttl = Duration::from_secs(v);
    }
    if let Some(v) = args.unknown_ids {
        s.unknown_ids = match v {
            UnknownIds::Reject => UnknownIdPolicy::Reject,
            UnknownIds::Ignore => UnknownIdPolicy::Ignore,
        };
    }
    if let Some(v) = args.clock_skew {
        s.clock_skew = Duration::from_secs(v);
    }
    s.rate_limit = args.rate_limit.map(|rps| RateLimit {
        rps,
        retry_after: args.retry_after,
    });
    if let (Some(cert), Some(key)) = (args.tls_cert, args.tls_key) {
        s.tls = Some(TlsConfig {
            cert_pem: read_text(&cert, "certificate")?,
            key_pem: read_text(&key, "private key")?,
        });
    }
    if let Some(path) = args.users {
        let text = read_text(&path, "users file")?;
        let users: Vec<NewUser> = serde_json::from_str(&text)
            .map_err(|e| format!("{}: expected a JSON array of users: {e}", path.display()))?;
        authing_emulator::validate_users(&users).map_err(|e| format!("{}: {e}", path.display()))?;
        s.users = users;
    }
    Ok(s)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let addr = SocketAddr::new(args.host, args.port);
    let settings = match settings(args) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("authing-emulator: {message}");
            return ExitCode::from(2);
        }
    };
    let default_secret = settings.access_key_secret == Settings::default().access_key_secret;
    let (key_id, pool) = (settings.access_key_id.clone(), settings.userpool_id.clone());
    let seeded = settings.users.len();
    let emulator = match Emulator::start_on(addr, settings).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("authing-emulator: cannot start on {addr}: {e}");
            return ExitCode::from(1);
        }
    };
    let mut out = std::io::stdout().lock();
    let secret_line = if default_secret {
        Settings::default().access_key_secret
    } else {
        // A secret the caller chose is theirs to know; it is never echoed.
        "(as given; not shown)".to_owned()
    };
    let _ = writeln!(out, "authing-emulator listening on {}", emulator.url());
    let _ = writeln!(out, "access key id: {key_id}");
    let _ = writeln!(out, "access key secret: {secret_line}");
    let _ = writeln!(out, "userpool id: {pool}");
    let _ = writeln!(out, "users seeded: {seeded}");
    let _ = writeln!(out, "control API: {}/__emulator/", emulator.url());
    let _ = out.flush();
    drop(out);
    let _ = tokio::signal::ctrl_c().await;
    emulator.shutdown().await;
    ExitCode::SUCCESS
}
