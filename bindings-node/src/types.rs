//! Requests and responses of the single calls, in the official DTO shapes
//! (`ResignUserBatchReqDto`, `ResignUserReqDto`, `ResignUserRespDto`).

use std::ptr;

use authing_resign::{Error, ResignUserResponse as CoreResponse, UserIdType as CoreIdType};
use napi::bindgen_prelude::ToNapiValue;
use napi::{check_status, sys};

/// Body of `resignUserBatch` (the official `ResignUserBatchReqDto`). Declared here for
/// its TypeScript shape only: `lib/validate.js` checks it and hands its fields to
/// `NativeClient.resignUserBatch` apart (the ids joined into one string, `ids.rs`).
#[napi(object)]
#[allow(dead_code)] // never built in Rust: only its generated declaration is used
pub struct ResignUserBatchRequest {
    /// 1 to 50 user ids.
    pub user_ids: Vec<String>,
    /// How `userIds` are interpreted; left out of the request when unset (the server
    /// default is `user_id`).
    #[napi(ts_type = "import('./lib/index').UserIdType")]
    pub user_id_type: Option<String>,
}

/// Body of `resignUser` (the official `ResignUserReqDto`), declared for its TypeScript
/// shape only, like `ResignUserBatchRequest`.
#[napi(object)]
#[allow(dead_code)] // see `ResignUserBatchRequest`
pub struct ResignUserRequest {
    /// The user's id.
    pub user_id: String,
    /// How `userId` is interpreted (server default `user_id`).
    #[napi(ts_type = "import('./lib/index').UserIdType")]
    pub user_id_type: Option<String>,
}

/// `data` of a resignation response (declared for its TypeScript shape only, like
/// `ResignUserResponse`).
#[napi(object)]
#[allow(dead_code)] // see `ResignUserResponse`
pub struct ResignUserData {
    /// Whether the operation succeeded (always true: failures are thrown).
    pub success: bool,
}

/// A successful resignation response, the official `ResignUserRespDto` shape:
/// `{ statusCode: 200, message, apiCode?, requestId?, data: { success: true } }`.
/// Failures are thrown as `ApiError`, never returned. Declared here for its TypeScript
/// shape only: `lib/client.js` builds the object from [`ResponseValues`].
#[napi(object)]
#[allow(dead_code)] // never built in Rust: only its generated declaration is used
pub struct ResignUserResponse {
    /// Envelope `statusCode` (200).
    pub status_code: u32,
    /// Envelope `message`, in the configured language.
    pub message: String,
    /// Envelope `apiCode`, when the server sent one.
    pub api_code: Option<u32>,
    /// Envelope `requestId`, when the server sent one.
    pub request_id: Option<String>,
    /// `data`.
    pub data: ResignUserData,
}

/// What a single call resolves with: the values of a `ResignUserResponse` in one
/// array, `[statusCode, message, data.success, apiCode, requestId]` (the last two
/// `undefined` when the server sent none), which `response` in `lib/client.js` makes
/// the object of. Building the object here took the JS thread a define-property call
/// per key through Node-API, each key's name looked up in V8's string table per call;
/// an object literal in JavaScript is built from a shape V8 keeps.
pub struct ResponseValues(pub(crate) CoreResponse);

impl ToNapiValue for ResponseValues {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        let r = val.0;
        let undefined = || {
            let mut value = ptr::null_mut();
            check_status!(unsafe { sys::napi_get_undefined(env, &mut value) })?;
            Ok::<_, napi::Error>(value)
        };
        let values = [
            unsafe { u32::to_napi_value(env, r.status_code.into()) }?,
            unsafe { String::to_napi_value(env, r.message) }?,
            unsafe { bool::to_napi_value(env, r.data.success) }?,
            match r.api_code {
                Some(code) => unsafe { u32::to_napi_value(env, code) }?,
                None => undefined()?,
            },
            match r.request_id {
                Some(id) => unsafe { String::to_napi_value(env, id) }?,
                None => undefined()?,
            },
        ];
        let mut array = ptr::null_mut();
        check_status!(unsafe {
            sys::napi_create_array_with_length(env, values.len(), &mut array)
        })?;
        for (i, value) in (0u32..).zip(values) {
            check_status!(unsafe { sys::napi_set_element(env, array, i, value) })?;
        }
        Ok(array)
    }
}

/// Parses an optional `userIdType` with the core's rule (an `InvalidArgument` error
/// that lists the allowed values).
pub(crate) fn id_type(value: Option<&str>) -> Result<Option<CoreIdType>, Error> {
    value.map(str::parse).transpose()
}
