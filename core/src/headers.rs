//! Every header name the SDK sends, reads or reserves, spelled once (lower case, as
//! HTTP/2 sends them and as the signature canonicalizes them).

/// `accept`.
pub const ACCEPT: &str = "accept";
/// `authorization`: the signature or the management token.
pub const AUTHORIZATION: &str = "authorization";
/// `content-type`.
pub const CONTENT_TYPE: &str = "content-type";
/// `content-length`.
pub const CONTENT_LENGTH: &str = "content-length";
/// `date`: signed with the request.
pub const DATE: &str = "date";
/// `host`.
pub const HOST: &str = "host";
/// Language of the server's messages.
pub const LANG: &str = "x-authing-lang";
/// `<sdk name>:<version>`.
pub const SDK_VERSION: &str = "x-authing-sdk-version";
/// The tenant, when one is configured.
pub const TENANT_ID: &str = "x-authing-tenant-id";
/// The user pool a management token is scoped to.
pub const USERPOOL_ID: &str = "x-authing-userpool-id";
/// `HMAC-SHA1`.
pub const SIGNATURE_METHOD: &str = "x-authing-signature-method";
/// `1.0`.
pub const SIGNATURE_VERSION: &str = "x-authing-signature-version";
/// A fresh random value per request.
pub const SIGNATURE_NONCE: &str = "x-authing-signature-nonce";
/// Response headers that may carry a request id when the envelope has none, in order.
pub const REQUEST_ID: [&str; 2] = ["x-authing-request-id", "x-request-id"];

/// Prefix of Authing's own headers; the signature covers every one of them.
const AUTHING_PREFIX: &str = "x-authing-";
/// Prefix of the headers signing adds.
const SIGNATURE_PREFIX: &str = "x-authing-signature-";

/// Whether the signature covers a header (given lower case): `date` and every
/// `x-authing-*` header.
pub fn is_signed(name: &str) -> bool {
    name == DATE || name.starts_with(AUTHING_PREFIX)
}

/// Whether a user's extra header (any case) would override one the SDK computes per
/// request: authentication and body framing.
pub fn is_reserved(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        AUTHORIZATION,
        DATE,
        HOST,
        CONTENT_LENGTH,
        CONTENT_TYPE,
        USERPOOL_ID,
    ]
    .contains(&name.as_str())
        || name.starts_with(SIGNATURE_PREFIX)
}

/// Whether the management-token call sends a header: every non-Authing header, and of
/// Authing's only the language, SDK version and tenant.
pub fn goes_with_token_call(name: &str) -> bool {
    !name.starts_with(AUTHING_PREFIX) || [LANG, SDK_VERSION, TENANT_ID].contains(&name)
}
