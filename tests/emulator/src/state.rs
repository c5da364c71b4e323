//! The emulator's shared state. Each part has its own lock, so a journal write never
//! waits for a store update and reads of settings never block each other.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;

use crate::faults::FaultRegistry;
use crate::journal::Journal;
use crate::locks::{read, write};
use crate::model::{NewUser, User};
use crate::nonces::NonceCache;
use crate::ratelimit::RateLimiter;
use crate::seeding::{check_fields, SeedError};
use crate::settings::Settings;
use crate::store::UserStore;
use crate::time::now_iso;

pub(crate) struct Shared {
    initial: Settings,
    settings: RwLock<Settings>,
    pub(crate) store: RwLock<UserStore>,
    pub(crate) journal: Journal,
    pub(crate) faults: FaultRegistry,
    pub(crate) nonces: NonceCache,
    token_key: RwLock<[u8; 32]>,
    pub(crate) limiter: RateLimiter,
    pub(crate) connections: AtomicU64,
    pub(crate) requests: AtomicU64,
}

impl Shared {
    pub(crate) fn new(settings: Settings) -> Shared {
        let shared = Shared {
            initial: settings.clone(),
            settings: RwLock::new(settings),
            store: RwLock::default(),
            journal: Journal::default(),
            faults: FaultRegistry::default(),
            nonces: NonceCache::default(),
            token_key: RwLock::new(rand::random()),
            limiter: RateLimiter::default(),
            connections: AtomicU64::new(0),
            requests: AtomicU64::new(0),
        };
        shared.seed_initial();
        shared
    }

    /// Reads settings without cloning them (they may hold many seed users).
    pub(crate) fn with_settings<R>(&self, f: impl FnOnce(&Settings) -> R) -> R {
        f(&read(&self.settings))
    }

    pub(crate) fn update_settings(&self, f: impl FnOnce(&mut Settings)) {
        f(&mut write(&self.settings));
    }

    pub(crate) fn token_key(&self) -> [u8; 32] {
        *read(&self.token_key)
    }

    /// Seeds all of `users` or none: field rules and uniqueness are checked first.
    pub(crate) fn try_seed(&self, users: Vec<NewUser>) -> Result<Vec<User>, SeedError> {
        check_fields(&users)?;
        let now = now_iso();
        let mut store = write(&self.store);
        if let Some(conflict) = store.conflict(&users) {
            return Err(conflict.into());
        }
        Ok(users.into_iter().map(|u| store.insert(u, &now)).collect())
    }

    // The start-up users were validated by `Emulator::start_on`, and a reset empties the
    // store first, so seeding them cannot fail.
    fn seed_initial(&self) {
        if let Err(e) = self.try_seed(self.initial.users.clone()) {
            tracing::error!("start-up users not seeded: {e}");
        }
    }

    /// Back to start-up settings and users; journal, faults, nonces, tokens and stats cleared.
    pub(crate) fn reset(&self) {
        *write(&self.settings) = self.initial.clone();
        write(&self.store).clear();
        self.seed_initial();
        self.journal.clear();
        self.faults.clear();
        self.nonces.clear();
        // A new signing key invalidates every token issued before the reset.
        *write(&self.token_key) = rand::random();
        self.limiter.reset();
        self.connections.store(0, Ordering::Relaxed);
        self.requests.store(0, Ordering::Relaxed);
    }
}
