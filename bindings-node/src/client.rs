//! The native client class. Users hold the JS `ManagementClient` of `lib/client.js`,
//! which type-checks arguments, forwards here and turns rejections into error classes.

use std::future::Future;
use std::sync::Arc;

use authing_resign::{ManagementClient, UserIdType};
use napi::bindgen_prelude::*;

use crate::bulk::{CancelToken, NativeBulkResult, ProgressFn, ResignUsersRequest};
use crate::completion::Pending;
use crate::errors::to_js;
use crate::ids::BatchIds;
use crate::logging::{LogFn, LogRecord, Sink};
use crate::options::{to_core, ClientOptions};
use crate::types::{id_type, ResignUserResponse};

/// The native half of `ManagementClient`: one core client (one connection pool, one
/// token cache) shared by every call made through it, and its logger, if any.
#[napi]
pub struct NativeClient {
    inner: ManagementClient,
    sink: Option<Arc<Sink>>,
}

#[napi]
impl NativeClient {
    /// Validates the options and builds the client; a bad option throws a `config`
    /// error naming it. A panic becomes a JS exception, never an abort of the process.
    /// `log` (called on the JS thread with each `LogRecord`, never throwing) receives
    /// the events of this client's calls at the levels named in `logLevels`.
    #[napi(constructor, catch_unwind)]
    pub fn new(
        env: &Env,
        options: ClientOptions,
        log: Option<Function<'_, LogRecord, ()>>,
        log_levels: Option<Vec<String>>,
    ) -> Result<Self> {
        let options = to_core(options, crate::sdk_version()).map_err(|e| to_js(env, e))?;
        // Inside the runtime, in case building the pool needs a reactor.
        let inner = crate::dispatch::within(|| ManagementClient::new(options))
            .map_err(|e| to_js(env, e))?;
        let sink = match log {
            Some(f) => {
                let deliver: LogFn = f
                    .build_threadsafe_function::<LogRecord>()
                    .callee_handled::<false>()
                    .weak::<true>()
                    .build()?;
                Some(Arc::new(Sink::new(
                    deliver,
                    &log_levels.unwrap_or_default(),
                )))
            }
            None => None,
        };
        Ok(Self { inner, sink })
    }

    /// Log records queued for the JS thread so far (0 without a logger).
    #[napi(getter)]
    pub fn log_records_queued(&self) -> f64 {
        self.sink.as_ref().map_or(0.0, |s| s.queued())
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
        self.inner.options().auth().as_str().to_string()
    }

    /// `POST /api/v3/resign-user-batch` for 1 to 50 ids, taken apart by
    /// `lib/validate.js` (the `ResignUserBatchRequest` shape): `joined` is the `count`
    /// ids joined by U+0000, one string to convert instead of one per id; `userIds`,
    /// the array itself, is read only when an id holds a U+0000 (`ids.rs`).
    #[napi(ts_return_type = "Promise<ResignUserResponse>")]
    pub fn resign_user_batch<'env>(
        &self,
        env: &'env Env,
        joined: String,
        count: u32,
        #[napi(ts_arg_type = "Array<string>")] user_ids: Unknown<'env>,
        #[napi(ts_arg_type = "import('./lib/index').UserIdType | undefined | null")]
        user_id_type: Option<String>,
    ) -> Result<PromiseRaw<'env, ResignUserResponse>> {
        let ids = BatchIds::new(env, joined, count, user_ids)?;
        self.call(env, user_id_type, |client, id_type| async move {
            client.resign_user_batch(&ids.as_strs(), id_type).await
        })
    }

    /// `POST /api/v3/resign-user` for one id (the `ResignUserRequest` shape, taken
    /// apart by `lib/validate.js`).
    #[napi(ts_return_type = "Promise<ResignUserResponse>")]
    pub fn resign_user<'env>(
        &self,
        env: &'env Env,
        user_id: String,
        #[napi(ts_arg_type = "import('./lib/index').UserIdType | undefined | null")]
        user_id_type: Option<String>,
    ) -> Result<PromiseRaw<'env, ResignUserResponse>> {
        self.call(env, user_id_type, |client, id_type| async move {
            client.resign_user(&user_id, id_type).await
        })
    }

    /// Any number of ids, chunked and concurrent, with a per-user report.
    #[napi(ts_return_type = "Promise<NativeBulkResult>")]
    pub fn resign_users<'env>(
        &self,
        env: &'env Env,
        request: ResignUsersRequest,
        #[napi(ts_arg_type = "((progress: BulkProgress) => void) | undefined | null")] on_progress: Option<
            ProgressFn,
        >,
        cancel: &CancelToken,
    ) -> Result<PromiseRaw<'env, NativeBulkResult>> {
        let cancel = cancel.inner.clone();
        let job = crate::bulk::run(self.inner.clone(), request, on_progress, cancel);
        self.settle(env, job)
    }
}

impl NativeClient {
    /// One call of the core (`resign_user_batch`, `resign_user`): its `userIdType`
    /// parsed (an unknown one rejects, naming it), its response converted.
    fn call<'env, F, C>(
        &self,
        env: &'env Env,
        user_id_type: Option<String>,
        call: C,
    ) -> Result<PromiseRaw<'env, ResignUserResponse>>
    where
        C: FnOnce(ManagementClient, Option<UserIdType>) -> F + Send + 'static,
        F: Future<Output = authing_resign::Result<authing_resign::ResignUserResponse>> + Send,
    {
        let client = self.inner.clone();
        self.settle(env, async move {
            let id_type = id_type(user_id_type.as_deref())?;
            Ok(call(client, id_type).await?.into())
        })
    }

    /// Runs a core call on the binding's tokio runtime (`dispatch`), its log events routed to
    /// this client's logger, and settles the returned promise on the JS thread through
    /// the environment's completion channel (`completion`), where a core error becomes
    /// an `Error` object carrying its fields and a panic a rejection.
    fn settle<'env, T, F>(&self, env: &'env Env, call: F) -> Result<PromiseRaw<'env, T>>
    where
        T: ToNapiValue + Send + 'static,
        F: Future<Output = std::result::Result<T, authing_resign::Error>> + Send + 'static,
    {
        let call = crate::logging::scoped(self.sink.clone(), call);
        let (pending, promise) = Pending::new(env)?;
        crate::dispatch::spawn(crate::completion::complete(pending, call));
        Ok(promise)
    }
}
