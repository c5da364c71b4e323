//! The HTTP side: one pooled reqwest client per [`crate::ManagementClient`], and the
//! retry loop around single attempts (see `attempt`).

mod attempt;
mod call;
mod capped;
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
use crate::response::decode;
use crate::response::ResignUserResponse;
use attempt::{AttemptError, Parse};
pub(crate) use call::{Call, Called, Payload};

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
            .result
    }

    /// The batch call for `resign_users`: the result, the number of HTTP requests
    /// made to the resignation endpoint for it (retries included; token fetches and
    /// calls rejected locally are not counted), and whether the server may have acted
    /// on a request whose answer was lost.
    pub(crate) async fn resign_user_batch_counted<S: AsRef<str>>(
        &self,
        user_ids: &[S],
        user_id_type: Option<UserIdType>,
    ) -> Called<ResignUserResponse> {
        match PreparedBody::resign_user_batch(user_ids, user_id_type) {
            Ok(body) => {
                self.execute(&Call::post(&body), &decode::resign_response)
                    .await
            }
            Err(e) => Called {
                result: Err(e),
                requests: 0,
                maybe_acted: false,
            },
        }
    }

    pub(crate) async fn resign_user(
        &self,
        user_id: &str,
        user_id_type: Option<UserIdType>,
    ) -> Result<ResignUserResponse> {
        let body = PreparedBody::resign_user(user_id, user_id_type)?;
        self.execute(&Call::post(&body), &decode::resign_response)
            .await
            .result
    }

    /// Sends `call` under the retry policy and parses the answer with `parse`.
    pub(crate) async fn execute<T>(&self, call: &Call<'_>, parse: Parse<'_, T>) -> Called<T> {
        let policy = &self.options.retry;
        // Validated to at most a day, so the addition cannot overflow; a deadline
        // beyond the clock's range would be no deadline at all.
        let deadline = policy
            .total_deadline
            .and_then(|d| Instant::now().checked_add(d));
        let (mut sent, mut retries, mut attempt_no) = (0u32, 0u32, 0u32);
        let mut token_refreshed = false;
        // Sticky: once a request may have been acted on, a later refusal (a 429 on the
        // retry) does not prove nothing happened.
        let mut maybe_acted = false;
        let done = |result, sent, maybe_acted| Called {
            result,
            requests: sent,
            maybe_acted,
        };
        loop {
            attempt_no += 1;
            let (limit, phase) = self.attempt_limit(deadline);
            let sent_before = sent;
            let attempt = self.attempt(call, parse, &mut sent);
            let outcome = match tokio::time::timeout(limit, attempt).await {
                Ok(outcome) => outcome,
                // Cut after the request was handed over: it may have been acted on.
                Err(_) => Err(AttemptError {
                    maybe_acted: sent > sent_before,
                    ..AttemptError::from(Error::Timeout { phase })
                }),
            };
            let failure = match outcome {
                Ok(answer) => {
                    tracing::debug!(
                        path = call.path,
                        attempt = attempt_no,
                        "authing call succeeded"
                    );
                    return done(Ok(answer), sent, maybe_acted);
                }
                Err(failure) => failure,
            };
            maybe_acted |= failure.maybe_acted;
            let error = failure.error;
            if let (Some(generation), false) = (failure.stale_token, token_refreshed) {
                // The token was revoked or expired early: fetch a new one, once.
                token_refreshed = true;
                self.tokens.invalidate(generation).await;
                log_retry(
                    call.path,
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
                log_final(call.path, attempt_no, &error);
                return done(Err(error), sent, maybe_acted);
            }
            retries += 1;
            let wait = retry::delay(policy, retries, failure.retry_after);
            let wakes = Instant::now().checked_add(wait);
            if deadline.is_some_and(|d| wakes.is_none_or(|w| w >= d)) {
                // No attempt was cut short: the server's own answer (with its request
                // id) says more than a timeout would.
                log_final(call.path, attempt_no, &error);
                return done(Err(error), sent, maybe_acted);
            }
            log_retry(call.path, attempt_no, wait, &error, "retrying");
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
    attempt::sign(options, &mut headers, "POST", &path, body.canonical_query());
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
