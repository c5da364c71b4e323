//! The management-token scheme: one token per client, fetched lazily, shared by all
//! concurrent callers through a single fetch, refreshed ahead of expiry and dropped
//! when the server answers 401.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use base64::Engine as _;
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::Value;

use crate::config::SecretString;
use crate::error::{Error, Result};
use crate::response::decode::{decode_error, Envelope, RawResponse};

/// Path of the token call.
pub(crate) const TOKEN_PATH: &str = "/api/v3/get-management-token";
/// Upper bound of the refresh margin.
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// A token as handed to a request.
pub(crate) struct ManagementToken {
    pub token: SecretString,
    /// The JWT's `scoped_userpool_id` claim, sent as `x-authing-userpool-id`.
    pub userpool_id: Option<String>,
    /// Which fetch produced it, so a 401 invalidates this token and not a newer one.
    pub generation: u64,
    /// The headers that carry it on a call, built by the first call that uses it
    /// (the same for every call: building them per call cost more than the lookup).
    pub call_headers: OnceLock<Result<Vec<(HeaderName, HeaderValue)>>>,
    refresh_at: Instant,
}

/// What the token endpoint returned.
pub(crate) struct FetchedToken {
    pub token: SecretString,
    pub lifetime: Duration,
}

#[derive(Default)]
struct State {
    token: Option<Arc<ManagementToken>>,
    /// The last fetch's failure, handed to callers that queued behind it.
    last_error: Option<Error>,
}

/// The token cache of one client.
#[derive(Default)]
pub(crate) struct TokenCache {
    // A tokio mutex held across the fetch is the single flight: callers queue behind
    // the one fetching and then find the fresh token.
    state: tokio::sync::Mutex<State>,
    fetches: AtomicU64,
}

impl TokenCache {
    /// The cached token if still fresh, else the result of one `fetch` shared by every
    /// caller waiting meanwhile (a failed fetch fails them all rather than making each
    /// retry it in turn).
    pub async fn get<F, Fut>(&self, fetch: F) -> Result<Arc<ManagementToken>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<FetchedToken>>,
    {
        let seen = self.fetches.load(Ordering::Acquire);
        let mut state = self.state.lock().await;
        if let Some(token) = state
            .token
            .as_ref()
            .filter(|t| Instant::now() < t.refresh_at)
        {
            return Ok(Arc::clone(token));
        }
        if self.fetches.load(Ordering::Acquire) != seen {
            if let Some(err) = &state.last_error {
                return Err(err.clone());
            }
        }
        let started = Instant::now();
        let result = fetch().await;
        let generation = self.fetches.fetch_add(1, Ordering::AcqRel) + 1;
        match result {
            Ok(fetched) => {
                let token = Arc::new(ManagementToken {
                    userpool_id: scoped_userpool_id(fetched.token.expose())?,
                    token: fetched.token,
                    generation,
                    call_headers: OnceLock::new(),
                    refresh_at: started + fetched.lifetime - refresh_margin(fetched.lifetime),
                });
                state.token = Some(Arc::clone(&token));
                state.last_error = None;
                Ok(token)
            }
            Err(err) => {
                state.token = None;
                state.last_error = Some(err.clone());
                Err(err)
            }
        }
    }

    /// Drops the token of `generation` (rejected with 401), unless a newer one
    /// already replaced it.
    pub async fn invalidate(&self, generation: u64) {
        let mut state = self.state.lock().await;
        if state
            .token
            .as_ref()
            .is_some_and(|t| t.generation == generation)
        {
            state.token = None;
        }
    }
}

/// How long before expiry a token is refreshed: 10% of its lifetime, at most 5 min.
pub(crate) fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(MAX_REFRESH_MARGIN)
}

/// The token request body. It holds the secret: never log it.
pub(crate) fn request_body(access_key_id: &str, secret: &SecretString) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "accessKeyId": access_key_id,
        "accessKeySecret": secret.expose(),
    }))
    .expect("a map of strings always serializes")
}

/// `data.access_token` and `data.expires_in` of a successful token envelope.
pub(crate) fn parse_response(env: Envelope, raw: &RawResponse<'_>) -> Result<FetchedToken> {
    let data = env.data.as_ref();
    let token = data
        .and_then(|d| d.get("access_token"))
        .and_then(Value::as_str);
    let expires_in = data
        .and_then(|d| d.get("expires_in"))
        .and_then(Value::as_f64);
    match (token, expires_in) {
        (Some(t), Some(secs)) if !t.is_empty() && secs.is_finite() && secs >= 0.0 => {
            Ok(FetchedToken {
                token: SecretString::new(t),
                lifetime: Duration::from_secs_f64(secs.min(1e9)),
            })
        }
        _ => Err(decode_error(
            raw,
            "the token response has no data.access_token and data.expires_in",
        )),
    }
}

/// Reads the `scoped_userpool_id` claim without verifying the JWT (the server does).
/// The payload is base64url, with or without padding.
pub(crate) fn scoped_userpool_id(jwt: &str) -> Result<Option<String>> {
    let bad = |reason: &str| Error::Decode {
        http_status: 200,
        reason: format!("the management token is not a readable JWT: {reason}"),
        snippet: String::new(),
    };
    let payload = jwt
        .split('.')
        .nth(1)
        .ok_or_else(|| bad("no payload segment"))?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| bad("the payload is not base64url"))?;
    let claims: Value =
        serde_json::from_slice(&bytes).map_err(|_| bad("the payload is not JSON"))?;
    Ok(claims
        .get("scoped_userpool_id")
        .and_then(Value::as_str)
        .map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn jwt(claims: &str, pad: bool) -> String {
        let mut p = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims);
        if pad {
            while !p.len().is_multiple_of(4) {
                p.push('=');
            }
        }
        format!("eyJhbGciOiJIUzI1NiJ9.{p}.sig")
    }

    #[test]
    fn margin_is_ten_percent_capped_at_five_minutes() {
        assert_eq!(
            refresh_margin(Duration::from_secs(60)),
            Duration::from_secs(6)
        );
        assert_eq!(
            refresh_margin(Duration::from_secs(7200)),
            Duration::from_secs(300)
        );
    }

    #[test]
    fn userpool_claim_is_read_as_base64url_with_or_without_padding() {
        // "??>" encodes to "Pz8-" in base64url: a plain base64 decoder rejects it.
        let claims = r#"{"scoped_userpool_id":"62a0ee","x":"??>?"}"#;
        assert!(base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(claims)
            .contains(['-', '_']));
        for pad in [false, true] {
            assert_eq!(
                scoped_userpool_id(&jwt(claims, pad)).unwrap().as_deref(),
                Some("62a0ee")
            );
        }
        assert_eq!(scoped_userpool_id(&jwt("{}", false)).unwrap(), None);
        assert_eq!(
            scoped_userpool_id("not-a-jwt").unwrap_err().code(),
            "decode"
        );
    }

    fn fetched(secs: u64) -> Result<FetchedToken> {
        Ok(FetchedToken {
            token: jwt(r#"{"scoped_userpool_id":"p"}"#, false).into(),
            lifetime: Duration::from_secs(secs),
        })
    }

    #[tokio::test]
    async fn one_fetch_serves_concurrent_callers_and_invalidate_refetches() {
        let cache = Arc::new(TokenCache::default());
        let calls = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let (cache, calls) = (cache.clone(), calls.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get(|| async {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        fetched(3600)
                    })
                    .await
                    .unwrap()
                    .generation
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), 1);
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        let generation = || async {
            cache
                .get(|| async { fetched(3600) })
                .await
                .unwrap()
                .generation
        };
        cache.invalidate(7).await; // a stale generation changes nothing
        assert_eq!(generation().await, 1);
        cache.invalidate(1).await;
        assert_eq!(generation().await, 2);
    }

    #[tokio::test]
    async fn expired_token_is_refetched_and_failures_are_shared() {
        let cache = TokenCache::default();
        assert_eq!(
            cache.get(|| async { fetched(0) }).await.unwrap().generation,
            1
        );
        assert_eq!(
            cache.get(|| async { fetched(0) }).await.unwrap().generation,
            2
        );
        let err = Error::Api {
            status_code: 401,
            api_code: None,
            message: "bad".into(),
            request_id: None,
            http_status: 200,
        };
        let e = err.clone();
        assert_eq!(cache.get(|| async move { Err(e) }).await.err(), Some(err));
    }
}
