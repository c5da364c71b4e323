//! Resigns up to 50 users in one call and prints the response in the official JSON shape.
//!
//! ```sh
//! AUTHING_ACCESS_KEY_ID=... AUTHING_ACCESS_KEY_SECRET=... \
//!   cargo run -p authing-resign --example resign_user_batch -- \
//!   [--host URL] [--auth signature|token] [--lang zh-CN|en-US] [--tenant-id T] [--id-type TYPE] ID...
//! ```
//!
//! `AUTHING_HOST` is used when `--host` is absent. On failure the error's code, message,
//! statusCode, apiCode and requestId go to stderr as JSON and the exit status is 1
//! (2 for bad arguments). Set `RUST_LOG=authing_resign=debug` to see each attempt.

use std::process::ExitCode;

use authing_resign::{AuthScheme, ClientOptions, Error, ManagementClient, OptionKey, UserIdType};
use clap::Parser;

/// Command-line arguments.
#[derive(Parser)]
#[command(about = "Resign users with Authing's resign-user-batch call (cannot be undone)")]
struct Args {
    /// API host; defaults to $AUTHING_HOST, then https://api.authing.cn.
    #[arg(long, env = "AUTHING_HOST")]
    host: Option<String>,
    /// Authentication scheme: signature (default) or token.
    #[arg(long, default_value = "signature")]
    auth: String,
    /// Language of server messages (zh-CN, en-US, ...).
    #[arg(long)]
    lang: Option<String>,
    /// Tenant id, sent as x-authing-tenant-id.
    #[arg(long)]
    tenant_id: Option<String>,
    /// How the ids are interpreted: user_id, external_id, phone, email, username,
    /// identity, sync_relation, custom_field.
    #[arg(long)]
    id_type: Option<String>,
    /// The users to resign (1 to 50).
    #[arg(required = true)]
    ids: Vec<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    match run(args).await {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{}", error_json(&error));
            let local = matches!(error, Error::Config { .. } | Error::InvalidArgument { .. });
            ExitCode::from(if local { 2 } else { 1 })
        }
    }
}

async fn run(args: Args) -> authing_resign::Result<String> {
    let key_id = env("AUTHING_ACCESS_KEY_ID", OptionKey::AccessKeyId)?;
    let secret = env("AUTHING_ACCESS_KEY_SECRET", OptionKey::AccessKeySecret)?;
    let mut builder = ClientOptions::builder(key_id, secret).auth(AuthScheme::parse(&args.auth)?);
    if let Some(host) = args.host {
        builder = builder.host(host);
    }
    if let Some(lang) = args.lang {
        builder = builder.lang(lang);
    }
    if let Some(tenant) = args.tenant_id {
        builder = builder.tenant_id(tenant);
    }
    let id_type = args
        .id_type
        .as_deref()
        .map(str::parse::<UserIdType>)
        .transpose()?;
    let client = ManagementClient::new(builder.build()?)?;
    let response = client.resign_user_batch(&args.ids, id_type).await?;
    Ok(serde_json::to_string_pretty(&response).expect("the response serializes"))
}

/// The option `key` from the environment variable `name`.
fn env(name: &str, key: OptionKey) -> authing_resign::Result<String> {
    std::env::var(name)
        .map_err(|_| Error::config(key, format!("environment variable {name} is not set")))
}

fn error_json(error: &Error) -> String {
    serde_json::json!({
        "code": error.code(),
        "message": error.to_string(),
        "statusCode": error.status_code(),
        "apiCode": error.api_code(),
        "requestId": error.request_id(),
    })
    .to_string()
}
