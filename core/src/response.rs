//! What comes back: the official `ResignUserRespDto` shape.

use serde::{Deserialize, Serialize};

/// `data` of a resignation response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResignUserData {
    /// Whether the operation succeeded.
    pub success: bool,
}

/// A successful resignation response; serializes to the official JSON shape
/// (`{"statusCode":200,"message":"操作成功","requestId":"…","data":{"success":true}}`).
/// Failures are returned as [`crate::Error::Api`], never as this type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResignUserResponse {
    /// Envelope `statusCode` (200).
    pub status_code: u16,
    /// Envelope `message`.
    pub message: String,
    /// Envelope `apiCode`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_code: Option<u32>,
    /// Envelope `requestId`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// `data`.
    pub data: ResignUserData,
}

/// Longest server `message` kept in errors and reports, in bytes; a longer one is cut
/// at a character boundary and ends with a visible `… [cut: N more bytes]` marker.
pub const MAX_MESSAGE_BYTES: usize = 1024;

pub(crate) mod decode;
pub(crate) mod scrub;
