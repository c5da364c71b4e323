//! Entry points for the fuzz targets in `fuzz/` (cargo-fuzz). Not part of the API:
//! hidden from the docs, and may change with any release. Each function runs the
//! crate's own code on untrusted input, the way a call would, without the network.

use std::time::Duration;

use crate::auth::token;
use crate::config::ClientOptions;
use crate::error::Result;
use crate::request::{PreparedBody, UserIdType};
use crate::response::decode::{self, RawResponse};
use crate::response::ResignUserResponse;

/// A signature-scheme request as it would be sent: path, headers, body.
pub struct SignedRequest {
    /// The request path, host prefix included (what the signature covers).
    pub path: String,
    /// Every header, names lower case, values as sent.
    pub headers: Vec<(String, String)>,
    /// The JSON body as sent.
    pub body: Vec<u8>,
}

/// Prepares a `resign-user-batch` call (validation, body, common headers, signature)
/// exactly as the client does before sending it.
pub fn signed_batch(
    options: &ClientOptions,
    user_ids: &[String],
    user_id_type: Option<UserIdType>,
) -> Result<SignedRequest> {
    signed(
        options,
        PreparedBody::resign_user_batch(user_ids, user_id_type)?,
    )
}

/// Prepares a `resign-user` call; see [`signed_batch`].
pub fn signed_single(
    options: &ClientOptions,
    user_id: &str,
    user_id_type: Option<UserIdType>,
) -> Result<SignedRequest> {
    signed(options, PreparedBody::resign_user(user_id, user_id_type)?)
}

fn signed(options: &ClientOptions, body: PreparedBody) -> Result<SignedRequest> {
    let (path, headers) = crate::transport::signed_headers(options, &body)?;
    let headers = headers
        .iter()
        .map(|(n, v)| {
            // A value that is not visible ASCII would be sent as other bytes than the
            // ones signed: report it rather than hide it behind a lossy conversion.
            let text = v
                .to_str()
                .map(str::to_owned)
                .unwrap_or_else(|_| panic!("header {n} holds bytes that are not visible ASCII"));
            (n.as_str().to_owned(), text)
        })
        .collect();
    Ok(SignedRequest {
        path,
        headers,
        body: body.json().to_vec(),
    })
}

/// The access key secret the decoders are told to keep out of their errors, so a
/// target can check that a body echoing it never gets it quoted.
pub const DECODE_SECRET: &str = "fuzz-access-key-secret";

/// Decodes a resignation answer (HTTP status, optional request-id header, body).
pub fn decode_resign(
    http_status: u16,
    header_request_id: Option<String>,
    body: &[u8],
) -> Result<ResignUserResponse> {
    decode::resign_response(&RawResponse {
        http_status,
        header_request_id,
        body,
        quotable: true,
        secret: DECODE_SECRET,
    })
}

/// What the client keeps from a management-token answer (no `Debug`: it holds the token).
pub struct TokenAnswer {
    /// `data.access_token`, exposed for the target's checks only.
    pub token: String,
    /// `data.expires_in`.
    pub lifetime: Duration,
    /// How long before expiry the cache refreshes it.
    pub refresh_margin: Duration,
    /// The JWT payload's `scoped_userpool_id`.
    pub userpool_id: Option<String>,
}

/// Decodes a management-token answer and the JWT payload, as the token cache does.
pub fn decode_token(http_status: u16, body: &[u8]) -> Result<TokenAnswer> {
    let raw = RawResponse {
        http_status,
        header_request_id: None,
        body,
        quotable: false,
        secret: DECODE_SECRET,
    };
    let fetched = decode::decode(&raw).and_then(|env| token::parse_response(env, &raw))?;
    let userpool_id = token::scoped_userpool_id(fetched.token.expose())?;
    Ok(TokenAnswer {
        token: fetched.token.expose().to_owned(),
        refresh_margin: token::refresh_margin(fetched.lifetime),
        lifetime: fetched.lifetime,
        userpool_id,
    })
}

/// Reads the `scoped_userpool_id` claim of a JWT (not verified).
pub fn scoped_userpool_id(jwt: &str) -> Result<Option<String>> {
    token::scoped_userpool_id(jwt)
}

/// Parses a `Retry-After` header value (delta seconds or an HTTP date).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    crate::transport::retry::parse_retry_after(value)
}
