//! `AUTHING_RESIGN_LOG=debug` (any `tracing` filter, as for the CLI): the core's events
//! (attempt failures, retries, token fetches) printed on stderr. Read once, when the
//! addon loads. The core never puts a secret, token or signature into an event.

/// Environment variable holding the filter, e.g. `debug` or `authing_resign=debug`.
const ENV: &str = "AUTHING_RESIGN_LOG";

#[napi_derive::module_init]
fn from_env() {
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env(ENV) {
        // Another addon in the process may already own the global subscriber.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .try_init();
    }
}
