//! [`ManagementClient`]: the one object users hold.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use reqwest::header::{HeaderName, HeaderValue};

use crate::auth::token::TokenCache;
use crate::config::ClientOptions;
use crate::error::Result;
use crate::request::UserIdType;
use crate::response::ResignUserResponse;

/// A client of Authing's Management API for user resignation.
///
/// Cheap to clone (an `Arc` inside) and safe to share across tasks and threads; all
/// clones share one connection pool and one management-token cache.
#[derive(Clone)]
pub struct ManagementClient {
    pub(crate) inner: Arc<ClientState>,
}

impl std::fmt::Debug for ManagementClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManagementClient")
            .field("options", &self.inner.options)
            .finish_non_exhaustive()
    }
}

impl ManagementClient {
    /// Builds a client (and its connection pool) from validated options.
    /// Fails with [`crate::Error::Config`] when TLS or proxy settings cannot be applied.
    pub fn new(options: ClientOptions) -> Result<Self> {
        Ok(Self {
            inner: Arc::new(ClientState::new(options)?),
        })
    }

    /// A client sharing everything with this one (options, headers, the management
    /// token and its single fetch) except the connection pool, which is new and empty.
    ///
    /// For a caller that drives calls on runtimes of its own, e.g. a current-thread
    /// tokio runtime per thread (as the Python binding's blocking client does): a
    /// connection belongs to the runtime that opened it (hyper's connection task is
    /// spawned there) and only makes progress while that runtime runs, so a pool must
    /// not be shared by calls running on different such runtimes. Give each runtime its
    /// own clone made by this method; the token is still fetched once for all of them.
    /// Callers on one multi-thread runtime need none of this: clone the client.
    ///
    /// A runtime idle between calls (one `block_on` per call) has not seen a server
    /// close a pooled connection meanwhile, and the next call would take the dead
    /// connection and fail ("connection closed before message completed"): let the
    /// runtime poll its I/O first, e.g. two `tokio::task::yield_now()` inside
    /// `block_on` before the call, as the Python binding does.
    ///
    /// Fails as [`ManagementClient::new`] does (the TLS and proxy settings are applied
    /// again for the new pool).
    pub fn with_own_connections(&self) -> Result<Self> {
        Ok(Self {
            inner: Arc::new(ClientState {
                http: crate::transport::build_http(&self.inner.options)?,
                ..ClientState::clone(&self.inner)
            }),
        })
    }

    /// The options this client was built with.
    pub fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    /// Resigns up to 50 users in one call (`POST /api/v3/resign-user-batch`).
    ///
    /// Ids are checked locally first (see [`crate::request::validate_batch`]); more than
    /// 50 is an [`crate::Error::InvalidArgument`] pointing to
    /// [`ManagementClient::resign_users`]. `user_id_type` `None` leaves the field out
    /// (the server default is `user_id`). Retried per the client's retry policy.
    pub async fn resign_user_batch<S: AsRef<str>>(
        &self,
        user_ids: &[S],
        user_id_type: Option<UserIdType>,
    ) -> Result<ResignUserResponse> {
        self.inner.resign_user_batch(user_ids, user_id_type).await
    }

    /// Resigns one user (`POST /api/v3/resign-user`).
    pub async fn resign_user(
        &self,
        user_id: &str,
        user_id_type: Option<UserIdType>,
    ) -> Result<ResignUserResponse> {
        self.inner.resign_user(user_id, user_id_type).await
    }
}

/// What every clone of a [`ManagementClient`] shares: the validated options, the
/// pooled HTTP client, the headers of every call and the token cache (the clients of
/// [`ManagementClient::with_own_connections`] share all but the pool). Its calls
/// (retry loop, attempts, token fetch) are in `transport`. A clone shares the pool, the
/// token cache and its flag (each an `Arc`).
#[derive(Clone)]
pub(crate) struct ClientState {
    pub(crate) options: ClientOptions,
    pub(crate) http: reqwest::Client,
    /// `scheme://host[:port]` plus the path prefix, no trailing slash.
    pub(crate) base_url: String,
    /// The host's path prefix (private deployments), possibly empty; part of the
    /// signed path because it is part of the path the server sees.
    pub(crate) path_prefix: String,
    /// Headers sent on every API call, user overrides applied, names lower case.
    pub(crate) common_headers: Vec<(HeaderName, HeaderValue)>,
    /// The URLs of the POST calls, parsed once (parsing one costs more than
    /// signing the call).
    pub(crate) post_urls: Vec<(&'static str, reqwest::Url)>,
    /// Shared with the clients made by [`ManagementClient::with_own_connections`], so
    /// the token is fetched once for all of them. The fetch runs on the pool of the
    /// caller holding the single flight, polled by that caller's own call, so the
    /// callers queued behind it never wait on a connection of an idle runtime.
    pub(crate) tokens: Arc<TokenCache>,
    /// Whether the last token fetch failed because the server's certificate was
    /// refused: the calls waiting on it then fail at once, as signed calls do, rather
    /// than retrying a handshake that cannot succeed.
    pub(crate) token_fetch_refused: Arc<AtomicBool>,
}

impl ClientState {
    pub(crate) fn new(options: ClientOptions) -> Result<Self> {
        let http = crate::transport::build_http(&options)?;
        Ok(Self {
            http,
            base_url: options.host().to_owned(),
            post_urls: [
                crate::request::body::RESIGN_USER_BATCH_PATH,
                crate::request::body::RESIGN_USER_PATH,
            ]
            .into_iter()
            .filter_map(|p| Some((p, format!("{}{p}", options.host()).parse().ok()?)))
            .collect(),
            path_prefix: crate::transport::path_prefix(&options),
            common_headers: crate::transport::common_headers(&options)?,
            tokens: Arc::default(),
            token_fetch_refused: Arc::default(),
            options,
        })
    }
}
