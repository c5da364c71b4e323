//! The native client class. Users hold the JS `ManagementClient` of `lib/client.js`,
//! which type-checks arguments, forwards here and turns rejections into error classes.

use authing_resign::{AuthScheme, ManagementClient};
use napi::bindgen_prelude::*;

use crate::bulk::{CancelToken, NativeBulkResult, ProgressFn, ResignUsersRequest};
use crate::errors::to_napi;
use crate::options::{to_core, ClientOptions};
use crate::types::{id_type, ResignUserBatchRequest, ResignUserRequest, ResignUserResponse};

/// The native half of `ManagementClient`: one core client (one connection pool, one
/// token cache) shared by every call made through it.
#[napi]
pub struct NativeClient {
    inner: ManagementClient,
}

#[napi]
impl NativeClient {
    /// Validates the options and builds the client; a bad option throws a `config`
    /// error naming it. A panic becomes a JS exception, never an abort of the process.
    #[napi(constructor, catch_unwind)]
    pub fn new(options: ClientOptions) -> Result<Self> {
        let options = to_core(options, crate::sdk_version()).map_err(to_napi)?;
        // Inside the runtime, in case building the pool needs a reactor.
        let inner =
            napi::bindgen_prelude::within_runtime_if_available(|| ManagementClient::new(options))
                .map_err(to_napi)?;
        Ok(Self { inner })
    }

    /// The access key id (not secret).
    #[napi(getter)]
    pub fn access_key_id(&self) -> String {
        self.inner.options().access_key_id().to_string()
    }

    /// The normalized host URL.
    #[napi(getter)]
    pub fn host(&self) -> String {
        self.inner.options().host().to_string()
    }

    /// The authentication scheme: `signature` or `token`.
    #[napi(getter)]
    pub fn auth(&self) -> String {
        match self.inner.options().auth() {
            AuthScheme::Signature => "signature".into(),
            _ => "token".into(),
        }
    }

    /// `POST /api/v3/resign-user-batch` for 1 to 50 ids.
    #[napi]
    pub async fn resign_user_batch(
        &self,
        request: ResignUserBatchRequest,
    ) -> Result<ResignUserResponse> {
        let id_type = id_type(request.user_id_type.as_deref()).map_err(to_napi)?;
        let response = self
            .inner
            .resign_user_batch(&request.user_ids, id_type)
            .await
            .map_err(to_napi)?;
        Ok(response.into())
    }

    /// `POST /api/v3/resign-user` for one id.
    #[napi]
    pub async fn resign_user(&self, request: ResignUserRequest) -> Result<ResignUserResponse> {
        let id_type = id_type(request.user_id_type.as_deref()).map_err(to_napi)?;
        let response = self
            .inner
            .resign_user(&request.user_id, id_type)
            .await
            .map_err(to_napi)?;
        Ok(response.into())
    }

    /// Any number of ids, chunked and concurrent, with a per-user report.
    #[napi]
    pub async fn resign_users(
        &self,
        request: ResignUsersRequest,
        #[napi(ts_arg_type = "((progress: BulkProgress) => void) | undefined | null")] on_progress: Option<
            ProgressFn,
        >,
        cancel: &CancelToken,
    ) -> Result<NativeBulkResult> {
        let cancel = cancel.inner.clone();
        crate::bulk::run(self.inner.clone(), request, on_progress, cancel)
            .await
            .map_err(to_napi)
    }
}
