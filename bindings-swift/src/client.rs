//! `ManagementClient`: the one exported object; every method forwards to the core on the
//! binding's runtime.

use std::future::Future;
use std::sync::Arc;

use authing_resign::{BulkReport, ResignUserResponse, UserIdType};

use crate::bulk::{core_options, BulkOptions, BulkProgress};
use crate::errors::AuthingError;
use crate::ids::{UserId, UserIds};
use crate::job::BulkJob;
use crate::options::ClientOptions;
use crate::runtime::{enter, spawn};

/// A client of Authing's Management API for user resignation. Safe to share between
/// threads, tasks and coroutines: all calls share one connection pool and token cache.
#[derive(uniffi::Object)]
pub struct ManagementClient {
    inner: authing_resign::ManagementClient,
}

impl ManagementClient {
    /// The work of `resignUserBatch`, to run on the binding's runtime (uniffi's path and
    /// Kotlin's direct one, `direct.rs`).
    pub(crate) fn batch_call(
        &self,
        user_ids: UserIds,
        user_id_type: Option<UserIdType>,
    ) -> impl Future<Output = Result<ResignUserResponse, AuthingError>> + Send + 'static {
        let client = self.inner.clone();
        async move { Ok(client.resign_user_batch(&user_ids.0, user_id_type).await?) }
    }

    /// The work of `resignUser`, as [`Self::batch_call`].
    pub(crate) fn single_call(
        &self,
        user_id: UserId,
        user_id_type: Option<UserIdType>,
    ) -> impl Future<Output = Result<ResignUserResponse, AuthingError>> + Send + 'static {
        let client = self.inner.clone();
        async move { Ok(client.resign_user(&user_id.0, user_id_type).await?) }
    }
}

#[uniffi::export]
impl ManagementClient {
    /// Builds a client; throws `AuthingError.config` on bad options (no network call).
    #[uniffi::constructor]
    pub fn new(options: ClientOptions) -> Result<Arc<Self>, AuthingError> {
        enter(|| {
            let options = authing_resign::ClientOptions::try_from(options)?;
            Ok(Arc::new(Self {
                inner: authing_resign::ManagementClient::new(options)?,
            }))
        })
    }

    /// Resigns up to 50 users in one call (`POST /api/v3/resign-user-batch`). Ids are
    /// checked locally first; `userIdType` null leaves it to the server (`user_id`).
    /// Retried on 429/5xx/transport failures per the client's retry policy.
    pub async fn resign_user_batch(
        &self,
        user_ids: UserIds,
        user_id_type: Option<UserIdType>,
    ) -> Result<ResignUserResponse, AuthingError> {
        spawn(self.batch_call(user_ids, user_id_type)).await
    }

    /// Resigns one user (`POST /api/v3/resign-user`).
    pub async fn resign_user(
        &self,
        user_id: UserId,
        user_id_type: Option<UserIdType>,
    ) -> Result<ResignUserResponse, AuthingError> {
        spawn(self.single_call(user_id, user_id_type)).await
    }

    /// Resigns any number of users and reports each one's outcome, in input order:
    /// invalid ids are reported and never sent, duplicates are reported, the rest go in
    /// chunks; a failing chunk is split to name exactly who failed. Throws only for bad
    /// options; everything else is in the report. A Kotlin coroutine cancelled while it
    /// waits here cancels the job cooperatively (calls in flight finish and are
    /// journaled) without a report; `startResignUsers` keeps the report reachable.
    pub async fn resign_users(
        &self,
        user_ids: UserIds,
        user_id_type: UserIdType,
        options: BulkOptions,
        progress: Option<Box<dyn BulkProgress>>,
    ) -> Result<BulkReport, AuthingError> {
        self.start_resign_users(user_ids, user_id_type, options, progress)?
            .report()
            .await
    }

    /// Starts `resignUsers` and returns its job at once: `cancel()`, `abort()`, and
    /// `report()` to wait for the (possibly partial) report. Throws at once for a bad
    /// `deadline`; other option errors come from `report()`.
    pub fn start_resign_users(
        &self,
        user_ids: UserIds,
        user_id_type: UserIdType,
        options: BulkOptions,
        progress: Option<Box<dyn BulkProgress>>,
    ) -> Result<Arc<BulkJob>, AuthingError> {
        let options = core_options(options, progress)?;
        BulkJob::start(self.inner.clone(), user_ids.0, user_id_type, options)
    }
}
