//! One attempt of an API call: authenticate, send, read, decode. Also the token fetch.

use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, RETRY_AFTER};

use super::call::{Call, Payload};
use super::capped::{self, ReadError};
use super::{error_chain, retry::parse_retry_after};
use crate::auth::signature;
use crate::auth::token::{self, FetchedToken};
use crate::client::ClientState;
use crate::config::{AuthScheme, ClientOptions};
use crate::error::{Error, Result, TimeoutPhase};
use crate::headers;
use crate::response::decode::{self, RawResponse};

/// A failed attempt, with what the retry loop needs to decide.
pub(super) struct AttemptError {
    pub error: Error,
    /// The server's `Retry-After`, if it sent one.
    pub retry_after: Option<Duration>,
    /// The generation of a management token the call was rejected with (401).
    pub stale_token: Option<u64>,
    /// Retrying cannot help (the server's certificate was refused).
    pub permanent: bool,
    /// The request was sent and its answer lost: the server may have acted on it.
    pub maybe_acted: bool,
}

impl From<Error> for AttemptError {
    fn from(error: Error) -> Self {
        Self {
            error,
            retry_after: None,
            stale_token: None,
            permanent: false,
            maybe_acted: false,
        }
    }
}

/// Turns a decoded (or refused) body into what the call returns.
pub(crate) type Parse<'p, T> = &'p (dyn Fn(&RawResponse<'_>) -> Result<T> + Send + Sync);

impl ClientState {
    /// Sends `call` once; `sent` counts requests handed to the connection pool.
    pub(super) async fn attempt<T>(
        &self,
        call: &Call<'_>,
        parse: Parse<'_, T>,
        sent: &mut u32,
    ) -> Result<T, AttemptError> {
        let mut headers = self.common_headers.clone();
        let mut token_generation = None;
        match self.options.auth {
            AuthScheme::Signature => sign(
                &self.options,
                &mut headers,
                call.method().as_str(),
                &format!("{}{}", self.path_prefix, call.path),
                call.canonical_query,
            ),
            AuthScheme::ManagementToken => {
                let token = self
                    .tokens
                    .get(|| self.fetch_token())
                    .await
                    .map_err(|error| AttemptError {
                        permanent: self.token_fetch_refused.load(Ordering::Acquire),
                        ..AttemptError::from(error)
                    })?;
                let carried = token
                    .call_headers
                    .get_or_init(|| token_headers(&token))
                    .as_ref()
                    .map_err(|e| e.clone())?;
                headers.extend(carried.iter().cloned());
                token_generation = Some(token.generation);
            }
        }
        let url = || format!("{}{}", self.base_url, call.path);
        let request = match call.payload {
            Payload::Json(json) => match self.post_urls.iter().find(|(p, _)| *p == call.path) {
                Some((_, parsed)) => self.http.post(parsed.clone()),
                None => self.http.post(url()),
            }
            .body(json.to_vec()),
            Payload::Query(query) => self.http.get(format!("{}?{query}", url())),
        };
        let request = request.headers(header_map(headers));
        *sent += 1;
        let response = request.send().await.map_err(map_reqwest)?;
        if let Some(error) = redirect_error(&response) {
            return Err(error.into());
        }
        let http_status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let header_request_id = request_id_header(response.headers());
        let secret = self.options.access_key_secret.expose();
        let answered = (200..300).contains(&http_status);
        let bytes = capped::read(response, self.options.max_response_bytes, true, secret)
            .await
            .map_err(|e| {
                let mut failure = match e {
                    ReadError::Transport(e) => map_reqwest(e),
                    ReadError::TooLarge(e) => AttemptError::from(e),
                };
                // The server started answering: it may well have acted.
                failure.maybe_acted = true;
                failure
            })?;
        let raw = RawResponse {
            http_status,
            header_request_id,
            body: &bytes,
            quotable: true,
            secret,
        };
        parse(&raw).map_err(|error| AttemptError {
            stale_token: token_generation.filter(|_| error.status_code() == Some(401)),
            retry_after,
            permanent: false,
            // A 2xx that is not an envelope: the server may have done the work. A
            // gateway's 502/504 (bad or no answer from upstream) means the request was
            // forwarded and may have been acted on before the upstream failed.
            maybe_acted: (answered && matches!(error, Error::Decode { .. }))
                || from_gateway(http_status),
            error,
        })
    }

    /// `POST /api/v3/get-management-token`: one request, no auth headers.
    async fn fetch_token(&self) -> Result<FetchedToken> {
        let headers = self
            .common_headers
            .iter()
            .filter(|(n, _)| headers::goes_with_token_call(n.as_str()))
            .cloned()
            .collect();
        let response = self
            .http
            .post(format!("{}{}", self.base_url, token::TOKEN_PATH))
            .headers(header_map(headers))
            .body(token::request_body(
                &self.options.access_key_id,
                &self.options.access_key_secret,
            ))
            .send()
            .await
            .map_err(|e| {
                let failure = map_reqwest(e);
                self.token_fetch_refused
                    .store(failure.permanent, Ordering::Release);
                failure.error
            })?;
        self.token_fetch_refused.store(false, Ordering::Release);
        if let Some(error) = redirect_error(&response) {
            return Err(error);
        }
        let http_status = response.status().as_u16();
        let header_request_id = request_id_header(response.headers());
        let secret = self.options.access_key_secret.expose();
        let cap = self.options.max_response_bytes;
        let bytes = capped::read(response, cap, false, secret)
            .await
            .map_err(|e| match e {
                ReadError::Transport(e) => map_reqwest(e).error,
                ReadError::TooLarge(e) => e,
            })?;
        let raw = RawResponse {
            http_status,
            header_request_id,
            body: &bytes,
            quotable: false,
            secret,
        };
        let result = decode::decode(&raw).and_then(|env| token::parse_response(env, &raw));
        tracing::debug!(
            status = http_status,
            request_id = raw.header_request_id.as_deref(),
            ok = result.is_ok(),
            "management token fetched"
        );
        result
    }
}

/// Adds what signing returns (`date`, the signature headers, `authorization`) to
/// `headers`: exactly the headers it signed.
pub(super) fn sign(
    options: &ClientOptions,
    headers: &mut Vec<(HeaderName, HeaderValue)>,
    method: &str,
    path: &str,
    query: &str,
) {
    let signed = signature::sign_request(
        method,
        &options.access_key_id,
        options.access_key_secret.expose(),
        headers
            .iter()
            // Every value was checked to be visible ASCII at build(), so to_str
            // cannot fail and what is signed is what is sent.
            .map(|(n, v)| (n.as_str(), v.to_str().unwrap_or_default())),
        path,
        query,
        httpdate::fmt_http_date(SystemTime::now()),
        signature::new_nonce(),
    );
    let valid = "dates, hex nonces and the checked key id are valid header values";
    for (name, value) in signed.headers() {
        let mut value = HeaderValue::from_str(value).expect(valid);
        // The credential: the HTTP stack never logs or indexes it.
        value.set_sensitive(name == headers::AUTHORIZATION);
        headers.push((HeaderName::from_static(name), value));
    }
}

fn header_map(headers: Vec<(HeaderName, HeaderValue)>) -> HeaderMap {
    let mut map = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        map.insert(name, value);
    }
    map
}

/// The headers that carry a management token: `Authorization: Bearer …` (sensitive)
/// and, when the JWT names a user pool, `x-authing-userpool-id`.
fn token_headers(token: &token::ManagementToken) -> Result<Vec<(HeaderName, HeaderValue)>> {
    let mut carried = vec![(
        AUTHORIZATION,
        sensitive(&format!("Bearer {}", token.token.expose()))?,
    )];
    if let Some(pool) = &token.userpool_id {
        let value = HeaderValue::from_str(pool).map_err(|_| Error::Decode {
            http_status: 200,
            reason: "the management token's scoped_userpool_id is not a valid header value".into(),
            snippet: String::new(),
        })?;
        carried.push((HeaderName::from_static(headers::USERPOOL_ID), value));
    }
    Ok(carried)
}

/// A header value marked sensitive, so the HTTP stack never logs or indexes it.
fn sensitive(value: &str) -> Result<HeaderValue> {
    let mut v = HeaderValue::from_str(value).map_err(|_| Error::Decode {
        http_status: 200,
        reason: "the credential is not a valid header value".into(),
        snippet: String::new(),
    })?;
    v.set_sensitive(true);
    Ok(v)
}

/// A 3xx answer as an error: redirects are never followed (see `http_client`). The
/// target is named without user info, query or fragment, so nothing secret it may
/// carry reaches the message.
fn redirect_error(response: &reqwest::Response) -> Option<Error> {
    let status = response.status();
    if !status.is_redirection() {
        return None;
    }
    let target = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|loc| response.url().join(loc).ok())
        .map(|url| {
            let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
            format!(
                " to {}://{}{port}{}",
                url.scheme(),
                url.host_str().unwrap_or_default(),
                url.path()
            )
        })
        .unwrap_or_default();
    Some(Error::Decode {
        http_status: status.as_u16(),
        reason: format!(
            "the server answered with a redirect{target}; redirects are not followed \
             (the request carries credentials): set `host` to the final address"
        ),
        snippet: String::new(),
    })
}

fn request_id_header(headers: &HeaderMap) -> Option<String> {
    headers::REQUEST_ID.iter().find_map(|h| {
        headers
            .get(*h)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    })
}

/// Classifies a reqwest failure: connect timeout, attempt timeout, or transport error
/// (a refused certificate is marked permanent).
fn map_reqwest(e: reqwest::Error) -> AttemptError {
    let chain = error_chain(&e);
    let error = if e.is_timeout() {
        let phase = if e.is_connect() {
            TimeoutPhase::Connect
        } else {
            TimeoutPhase::Attempt
        };
        Error::Timeout { phase }
    } else if e.is_connect() {
        Error::Transport {
            message: format!("could not connect: {chain}"),
        }
    } else {
        Error::Transport { message: chain }
    };
    AttemptError {
        permanent: e.is_connect() && is_tls_rejection(&e),
        // Past the connection, the request may have been written and acted on.
        maybe_acted: !e.is_connect(),
        ..AttemptError::from(error)
    }
}

/// rustls reports a refused handshake as an `io::Error` of kind `InvalidData`, which
/// the TLS connector wraps in another `io::Error`; `io::Error::source` skips the
/// wrapped error itself, so look inside with `get_ref` too.
fn is_tls_rejection(e: &(dyn std::error::Error + 'static)) -> bool {
    if let Some(io) = e.downcast_ref::<std::io::Error>() {
        if io.kind() == std::io::ErrorKind::InvalidData {
            return true;
        }
        if io.get_ref().is_some_and(|inner| is_tls_rejection(inner)) {
            return true;
        }
    }
    e.source().is_some_and(is_tls_rejection)
}

/// HTTP 502 Bad Gateway / 504 Gateway Timeout: an intermediary forwarded the request and
/// the upstream's answer failed or never came, so the upstream may have acted on it.
fn from_gateway(http_status: u16) -> bool {
    matches!(http_status, 502 | 504)
}
