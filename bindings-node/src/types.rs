//! Requests and responses of the single calls, in the official DTO shapes
//! (`ResignUserBatchReqDto`, `ResignUserReqDto`, `ResignUserRespDto`).

use authing_resign::{Error, ResignUserResponse as CoreResponse, UserIdType as CoreIdType};

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

/// `data` of a resignation response.
#[napi(object)]
pub struct ResignUserData {
    /// Whether the operation succeeded (always true: failures are thrown).
    pub success: bool,
}

/// A successful resignation response, the official `ResignUserRespDto` shape:
/// `{ statusCode: 200, message, apiCode?, requestId?, data: { success: true } }`.
/// Failures are thrown as `ApiError`, never returned.
#[napi(object)]
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

impl From<CoreResponse> for ResignUserResponse {
    fn from(r: CoreResponse) -> Self {
        Self {
            status_code: r.status_code.into(),
            message: r.message,
            api_code: r.api_code,
            request_id: r.request_id,
            data: ResignUserData {
                success: r.data.success,
            },
        }
    }
}

/// Parses an optional `userIdType` with the core's rule (an `InvalidArgument` error
/// that lists the allowed values).
pub(crate) fn id_type(value: Option<&str>) -> Result<Option<CoreIdType>, Error> {
    value.map(str::parse).transpose()
}
