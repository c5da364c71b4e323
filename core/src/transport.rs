//! The HTTP side: one pooled reqwest client per [`crate::ManagementClient`], and the
//! retry loop around single attempts (see `attempt`).

mod attempt;
mod http_client;
pub(crate) mod retry;

pub(crate) use http_client::build as build_http;

use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue};

use crate::client::ClientState;
use crate::config::ClientOptions;
use crate::error::{Error, Result, TimeoutPhase};
use crate::headers;
use crate::request::{PreparedBody, UserIdType};
use crate::response::ResignUserResponse;
use attempt::AttemptError;

/// Default `x-authing-lang`, as the Node SDK sends it.
const DEFAULT_LANG: &str = "zh-CN";

impl ClientState {
    pub(crate) async fn resign_user_batch<S: AsRef<str>>(
        &self,
        user_ids: &[S],
        user_id_type: Option<UserIdType>,
    ) -> Result<ResignUserResponse> {
        self.resign_user_batch_counted(user_ids, user_id_type)
            .await
            .0
    }

    /// The batch call for `resign_users`: the result plus the number of HTTP requests
    /// made to the resignation endpoint for it (retries included; token fetches and
    /// calls rejected locally are not counted), so the bulk report can count calls.
    pub(crate) async fn resign_user_batch_counted<S: AsRef<str>>(
        &self,
        user_ids: &[S],
        user_id_type: Option<UserIdType>,
    ) -> (Result<ResignUserResponse>, u32) {
        match PreparedBody::resign_user_batch(user_ids, user_id_type) {
            Ok(body) => self.execute(&body).await,
            Err(e) => (Err(e), 0),
        }
    }

    pub(crate) async fn resign_user(
        &self,
        user_id: &str,
        user_id_type: Option<UserIdType>,
    ) -> Result<ResignUserResponse> {
        let body = PreparedBody::resign_user(user_id, user_id_type)?;
        self.execute(&body).await.0
    }

    /// Sends `body` under the retry policy; returns the result and the number of
    /// requests sent.
    async fn execute(&self, body: &PreparedBody) -> (Result<ResignUserResponse>, u32) {
        let policy = &self.options.retry;
        // Validated to at most a day, so the addition cannot overflow; a deadline
        // beyond the clock's range would be no deadline at all.
        let deadline = policy
            .total_deadline
            .and_then(|d| Instant::now().checked_add(d));
        let (mut sent, mut retries, mut attempt_no) = (0u32, 0u32, 0u32);
        let mut token_refreshed = false;
        loop {
            attempt_no += 1;
            let (limit, phase) = self.attempt_limit(deadline);
            let outcome = match tokio::time::timeout(limit, self.attempt(body, &mut sent)).await {
                Ok(outcome) => outcome,
                Err(_) => Err(AttemptError::from(Error::Timeout { phase })),
            };
            let failure = match outcome {
                Ok(response) => {
                    tracing::debug!(
                        path = body.path(),
                        attempt = attempt_no,
                        status = response.status_code,
                        request_id = response.request_id.as_deref(),
                        "authing call succeeded"
                    );
                    return (Ok(response), sent);
                }
                Err(failure) => failure,
            };
            let error = failure.error;
            if let (Some(generation), false) = (failure.stale_token, token_refreshed) {
                // The token was revoked or expired early: fetch a new one, once.
                token_refreshed = true;
                self.tokens.invalidate(generation).await;
                log_retry(
                    body.path(),
                    attempt_no,
                    Duration::ZERO,
                    &error,
                    "token rejected; refreshing it",
                );
                continue;
            }
            let retryable = error.is_retryable()
                && !failure.permanent
                && !matches!(
                    error,
                    Error::Timeout {
                        phase: TimeoutPhase::Total
                    }
                );
            if !retryable || retries >= policy.max_retries {
                log_final(body.path(), attempt_no, &error);
                return (Err(error), sent);
            }
            retries += 1;
            let wait = retry::delay(policy, retries, failure.retry_after);
            let wakes = Instant::now().checked_add(wait);
            if deadline.is_some_and(|d| wakes.is_none_or(|w| w >= d)) {
                // No attempt was cut short: the server's own answer (with its request
                // id) says more than a timeout would.
                log_final(body.path(), attempt_no, &error);
                return (Err(error), sent);
            }
            log_retry(body.path(), attempt_no, wait, &error, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    /// The time allowed for the next attempt, and which deadline it stands for.
    fn attempt_limit(&self, deadline: Option<Instant>) -> (Duration, TimeoutPhase) {
        let per_attempt = self.options.timeout;
        match deadline.map(|d| d.saturating_duration_since(Instant::now())) {
            Some(left) if left < per_attempt => (left, TimeoutPhase::Total),
            _ => (per_attempt, TimeoutPhase::Attempt),
        }
    }
}

fn log_retry(path: &str, attempt: u32, wait: Duration, error: &Error, what: &'static str) {
    tracing::warn!(
        path,
        attempt,
        delay_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
        status = error.status_code(),
        api_code = error.api_code(),
        request_id = error.request_id(),
        error = %error,
        "authing call failed; {what}"
    );
}

fn log_final(path: &str, attempt: u32, error: &Error) {
    tracing::info!(
        path,
        attempt,
        status = error.status_code(),
        api_code = error.api_code(),
        request_id = error.request_id(),
        error = %error,
        "authing call failed"
    );
}

/// The host's path prefix (private deployments), possibly empty, no trailing slash.
pub(crate) fn path_prefix(options: &ClientOptions) -> String {
    options.host.path().trim_end_matches('/').to_owned()
}

/// The path and headers a signature-scheme call for `body` sends (what `attempt`
/// builds), without sending anything: for the fuzz targets' round trip.
pub(crate) fn signed_headers(
    options: &ClientOptions,
    body: &PreparedBody,
) -> Result<(String, Vec<(HeaderName, HeaderValue)>)> {
    let mut headers = common_headers(options)?;
    let path = format!("{}{}", path_prefix(options), body.path());
    attempt::sign(options, &mut headers, &path, body.canonical_query());
    Ok((path, headers))
}

/// Headers sent on every call: accept, content type, language, SDK version, tenant,
/// then the user's extra headers, each replacing a same-named earlier one.
pub(crate) fn common_headers(options: &ClientOptions) -> Result<Vec<(HeaderName, HeaderValue)>> {
    let mut pairs: Vec<(String, String)> = vec![
        (headers::ACCEPT.into(), "application/json".into()),
        (headers::CONTENT_TYPE.into(), "application/json".into()),
        (
            headers::LANG.into(),
            options.lang.clone().unwrap_or_else(|| DEFAULT_LANG.into()),
        ),
        (headers::SDK_VERSION.into(), options.sdk_version.clone()),
    ];
    if let Some(tenant) = &options.tenant_id {
        pairs.push((headers::TENANT_ID.into(), tenant.clone()));
    }
    for (name, value) in &options.headers {
        let name = name.to_ascii_lowercase();
        pairs.retain(|(n, _)| *n != name);
        pairs.push((name, value.clone()));
    }
    pairs
        .into_iter()
        .map(|(name, value)| {
            let bad = |what: &str| {
                Error::config(
                    crate::error::OptionKey::Headers,
                    format!("{name:?} has an invalid {what}"),
                )
            };
            Ok((
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| bad("name"))?,
                HeaderValue::from_str(&value).map_err(|_| bad("value"))?,
            ))
        })
        .collect()
}

/// An error and its sources as one line (`a: b: c`), repeats dropped, and the user
/// info of any URL quoted in it (a proxy's `user:pass@`) hidden.
pub(crate) fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(error);
    while let Some(e) = current {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    crate::redact::userinfo(&parts.join(": "))
}
