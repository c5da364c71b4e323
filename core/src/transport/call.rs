//! What one API call sends: its path, what the signature covers, and the payload (a
//! JSON body for a POST, a query string for a GET).

use crate::request::PreparedBody;

/// The payload of a call.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Payload<'a> {
    /// A POST with this JSON body.
    Json(&'a [u8]),
    /// A GET with this URL-encoded query string.
    Query(&'a str),
}

/// One API call, ready to sign and send (as often as the retry policy allows).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Call<'a> {
    /// The API path, without any host prefix.
    pub(crate) path: &'static str,
    /// The canonical parameter string the signature covers.
    pub(crate) canonical_query: &'a str,
    pub(crate) payload: Payload<'a>,
}

impl<'a> Call<'a> {
    /// A POST of a prepared resignation body.
    pub(crate) fn post(body: &'a PreparedBody) -> Self {
        Self {
            path: body.path(),
            canonical_query: body.canonical_query(),
            payload: Payload::Json(body.json()),
        }
    }

    /// The HTTP method.
    pub(crate) fn method(&self) -> reqwest::Method {
        match self.payload {
            Payload::Json(_) => reqwest::Method::POST,
            Payload::Query(_) => reqwest::Method::GET,
        }
    }
}

/// What a call came back with: its result, the number of requests sent for it
/// (retries included), and whether any of them may have been acted on by the server
/// although no answer says so (the answer was lost: dropped after sending, timed out
/// after sending, an undecodable or oversized 2xx).
#[derive(Debug)]
pub(crate) struct Called<T> {
    pub(crate) result: crate::Result<T>,
    pub(crate) requests: u32,
    pub(crate) maybe_acted: bool,
}
