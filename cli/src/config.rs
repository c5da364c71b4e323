//! Client options from flags and the environment. Credentials come only from
//! `AUTHING_ACCESS_KEY_ID` / `AUTHING_ACCESS_KEY_SECRET` or `--secret-file`: a secret
//! on the command line would land in shell history and `ps` output.

use std::path::Path;
use std::time::Duration;

use authing_resign::{ClientOptions, ClientOptionsBuilder, SecretString};

use crate::args::Args;
use crate::exit::{usage, CliError};

/// Environment variable holding the access key id.
pub const ENV_KEY_ID: &str = "AUTHING_ACCESS_KEY_ID";
/// Environment variable holding the access key secret.
pub const ENV_SECRET: &str = "AUTHING_ACCESS_KEY_SECRET";
/// Environment variable holding the host, used when `--host` is absent (read by clap).
pub const ENV_HOST: &str = "AUTHING_HOST";

/// Options for a real Authing host.
pub fn from_env(args: &Args) -> Result<ClientOptions, CliError> {
    let key_id = std::env::var(ENV_KEY_ID)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| usage(format!("set {ENV_KEY_ID} to your access key id")))?;
    let secret = match &args.secret_file {
        Some(path) => read_secret_file(path)?,
        None => std::env::var(ENV_SECRET)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(SecretString::new)
            .ok_or_else(|| usage(format!("set {ENV_SECRET} or pass --secret-file PATH")))?,
    };
    let mut b = ClientOptions::builder(key_id, secret);
    // clap reads AUTHING_HOST into --host; an empty variable counts as unset.
    if let Some(host) = args.host.clone().filter(|h| !h.is_empty()) {
        b = b.host(host);
    }
    finish(b, args)
}

/// Options for the in-process emulator at `url`.
#[cfg(feature = "emulator")]
pub fn for_emulator(
    args: &Args,
    url: &str,
    key_id: &str,
    secret: &str,
) -> Result<ClientOptions, CliError> {
    finish(ClientOptions::builder(key_id, secret).host(url), args)
}

fn finish(mut b: ClientOptionsBuilder, args: &Args) -> Result<ClientOptions, CliError> {
    b = b
        .auth(args.auth.0)
        .sdk_version(format!("authing-resign-cli:{}", env!("CARGO_PKG_VERSION")));
    if let Some(lang) = &args.lang {
        b = b.lang(lang);
    }
    if let Some(t) = &args.tenant_id {
        b = b.tenant_id(t);
    }
    if let Some(n) = args.max_retries {
        b = b.max_retries(n);
    }
    if let Some(secs) = args.timeout {
        if !(secs.is_finite() && secs > 0.0 && secs <= 3600.0) {
            return Err(usage(format!(
                "--timeout must be between 0 and 3600 seconds, got {secs}"
            )));
        }
        b = b.timeout(Duration::from_secs_f64(secs));
    }
    Ok(b.build()?)
}

/// The first line of the file, trimmed. The error names the file, never its content.
fn read_secret_file(path: &Path) -> Result<SecretString, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| usage(format!("cannot read --secret-file {}: {e}", path.display())))?;
    let secret = SecretString::new(text.lines().next().unwrap_or("").trim());
    // Wrapping the whole text zeroes it when dropped, like the secret itself.
    drop(SecretString::new(text));
    if secret.expose().is_empty() {
        return Err(usage(format!("--secret-file {} is empty", path.display())));
    }
    Ok(secret)
}
