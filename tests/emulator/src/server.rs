//! The server: accept loop with per-connection ids (and the ability to drop one), the
//! router, and the [`Emulator`] handle tests hold.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Serialize};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;
use tower::Service;

use crate::faults::Fault;
use crate::journal::JournalEntry;
use crate::locks::read;
use crate::model::{NewUser, User};
use crate::seeding::SeedError;
use crate::settings::Settings;
use crate::state::Shared;
use crate::store::IdType;

const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Per-connection context handed to handlers through request extensions.
#[derive(Clone)]
pub(crate) struct ConnCtx {
    pub id: u64,
    /// Notified by a `Drop` fault: the connection task then closes the socket.
    pub kill: Arc<Notify>,
}

/// Counters since start (or the last reset).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// TCP connections accepted.
    pub connections: u64,
    /// API requests served (control API requests are not counted).
    pub requests: u64,
}

/// A running emulator. Stops on [`Emulator::shutdown`] or when dropped.
pub struct Emulator {
    addr: SocketAddr,
    https: bool,
    shared: Arc<Shared>,
    cancel: CancellationToken,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("url", &self.url())
            .finish()
    }
}

impl Emulator {
    /// Starts on `127.0.0.1` with a free port. The server runs as tasks on the current
    /// tokio runtime, so that runtime must not be blocked while clients wait for answers.
    pub async fn start(settings: Settings) -> io::Result<Emulator> {
        Emulator::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), settings).await
    }

    /// Starts on `addr` (port 0 picks a free one). Fails on a bad TLS configuration,
    /// when the address cannot be bound, or (`InvalidInput`) on settings out of bounds
    /// (`token_ttl`, `clock_skew` or `rate_limit.retry_after` over 365 days,
    /// `rate_limit.rps` over 1 000 000) or seed users that [`Emulator::try_seed_users`]
    /// would refuse.
    pub async fn start_on(addr: SocketAddr, settings: Settings) -> io::Result<Emulator> {
        settings.check().map_err(|message| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("invalid settings: {message}"),
            )
        })?;
        let tls = settings
            .tls
            .as_ref()
            .map(crate::tls::acceptor)
            .transpose()?;
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let https = tls.is_some();
        let shared = Arc::new(Shared::new(settings));
        let app = Router::new()
            .nest("/__emulator", crate::control::router())
            .fallback(crate::api::handle)
            .with_state(shared.clone());
        let cancel = CancellationToken::new();
        let task = tokio::spawn(accept_loop(
            listener,
            app,
            shared.clone(),
            tls,
            cancel.clone(),
        ));
        Ok(Emulator {
            addr,
            https,
            shared,
            cancel,
            task: Some(task),
        })
    }

    /// Base URL, e.g. `http://127.0.0.1:41234` (`https://` when serving TLS).
    pub fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The current settings.
    pub fn settings(&self) -> Settings {
        self.shared.with_settings(Settings::clone)
    }

    /// Changes settings in place; takes effect for the next request. `users` and `tls`
    /// are only read at start and on reset.
    pub fn update_settings(&self, f: impl FnOnce(&mut Settings)) {
        self.shared.update_settings(f);
    }

    /// Adds users (a user with an existing `userId` is replaced); returns them as stored.
    ///
    /// # Panics
    ///
    /// When [`Emulator::try_seed_users`] would return an error (a username, email, phone,
    /// externalId or identity that belongs to another user, an unknown status, a blank
    /// `userId`): in a test that is a mistake in the test, and silently re-pointing an id
    /// at another user would make it pass or fail for the wrong reason. Nothing is stored
    /// then, and the panic happens after the store's lock is released.
    pub fn seed_users(&self, users: Vec<NewUser>) -> Vec<User> {
        match self.try_seed_users(users) {
            Ok(users) => users,
            Err(e) => panic!("authing-emulator: cannot seed users: {e}"),
        }
    }

    /// Adds all of `users` or none: a user with an existing `userId` is replaced (and
    /// may keep its own keys), but a username, email, phone, externalId or identity that
    /// belongs to another user, in the store or earlier in `users`, is refused, as are
    /// unknown statuses and blank `userId`s.
    pub fn try_seed_users(&self, users: Vec<NewUser>) -> Result<Vec<User>, SeedError> {
        self.shared.try_seed(users)
    }

    /// Every user, in insertion order.
    pub fn users(&self) -> Vec<User> {
        read(&self.shared.store).all()
    }

    /// The user `id` names under `id_type` (a `userIdType` wire value such as `user_id`,
    /// `username`, `identity`); `None` if unknown or `id_type` is not a wire value.
    pub fn find_user(&self, id: &str, id_type: &str) -> Option<User> {
        let id_type = IdType::parse(id_type)?;
        let store = read(&self.shared.store);
        store
            .resolve(id, id_type)
            .and_then(|u| store.get(u))
            .cloned()
    }

    /// The journal of API requests, oldest first (the newest 100 000 are kept).
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.shared.journal.entries()
    }

    /// Empties the journal.
    pub fn clear_journal(&self) {
        self.shared.journal.clear();
    }

    /// Adds a fault; returns its id.
    pub fn add_fault(&self, fault: Fault) -> u64 {
        self.shared.faults.add(fault)
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// Connection and request counters.
    pub fn stats(&self) -> Stats {
        Stats {
            connections: self.shared.connections.load(Ordering::Relaxed),
            requests: self.shared.requests.load(Ordering::Relaxed),
        }
    }

    /// Back to the start-up settings and users; journal, faults, nonces, tokens and
    /// stats cleared.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Stops accepting, closes every connection and waits for the accept loop to end.
    pub async fn shutdown(mut self) {
        self.cancel.cancel();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

async fn accept_loop(
    listener: TcpListener,
    app: Router,
    shared: Arc<Shared>,
    tls: Option<TlsAcceptor>,
    cancel: CancellationToken,
) {
    // Connection ids never restart (unlike the resettable stats counter), so journal
    // entries from before and after a reset stay distinguishable.
    let next_id = AtomicU64::new(1);
    loop {
        let accepted = tokio::select! {
            _ = cancel.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors or similar: back off instead of spinning.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        shared.connections.fetch_add(1, Ordering::Relaxed);
        let ctx = ConnCtx {
            id: next_id.fetch_add(1, Ordering::Relaxed),
            kill: Arc::new(Notify::new()),
        };
        tokio::spawn(serve_connection(
            stream,
            ctx,
            app.clone(),
            tls.clone(),
            cancel.clone(),
        ));
    }
}

async fn serve_connection(
    stream: TcpStream,
    ctx: ConnCtx,
    app: Router,
    tls: Option<TlsAcceptor>,
    cancel: CancellationToken,
) {
    let kill = ctx.kill.clone();
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(ctx.clone());
        let mut app = app.clone();
        async move { app.call(req.map(Body::new)).await }
    });
    match tls {
        None => run(TokioIo::new(stream), service, &kill, &cancel).await,
        Some(acceptor) => {
            let handshake = tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream));
            if let Ok(Ok(stream)) = handshake.await {
                run(TokioIo::new(stream), service, &kill, &cancel).await;
            }
        }
    }
}

/// Serves one HTTP/1.1 connection until it ends, a `Drop` fault kills it, or shutdown.
async fn run<I, S>(io: I, service: S, kill: &Notify, cancel: &CancellationToken)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    S: hyper::service::HttpService<Incoming> + Send,
    S::ResBody: 'static,
    <S::ResBody as hyper::body::Body>::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let conn = hyper::server::conn::http1::Builder::new().serve_connection(io, service);
    tokio::select! {
        _ = conn => {}
        _ = kill.notified() => {}
        _ = cancel.cancelled() => {}
    }
}
