//! Management tokens: HS256 JWTs carrying `scoped_userpool_id` and `exp`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::json;
use sha2::Sha256;

/// The claims the emulator checks.
#[derive(Debug, Deserialize)]
pub(crate) struct Claims {
    pub scoped_userpool_id: String,
    pub exp: u64,
}

/// Why a token was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TokenError {
    Invalid,
    Expired,
}

fn mac(key: &[u8]) -> Hmac<Sha256> {
    <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts any key length")
}

/// Issues a token for `userpool_id` valid until `exp` (epoch seconds).
///
/// The payload is chosen so that its base64url text contains no `-` or `_`: the
/// official Python SDK (authing 5.1.0) decodes it as *standard* base64, which silently
/// drops those characters and then fails to parse the JSON. A counter field shifts the
/// payload until the encoding is safe; with ASCII claims that is nearly always the first try.
pub(crate) fn issue(key: &[u8], userpool_id: &str, subject: &str, now: u64, exp: u64) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let mut payload = String::new();
    for n in 0..64u32 {
        let claims = json!({
            "n": "x".repeat((n % 3) as usize),
            "iss": "authing-emulator",
            "sub": subject,
            "scoped_userpool_id": userpool_id,
            "iat": now,
            "exp": exp,
            "jti": n,
        });
        payload = URL_SAFE_NO_PAD.encode(claims.to_string());
        if !payload.contains(['-', '_']) {
            break;
        }
    }
    let signing_input = format!("{header}.{payload}");
    let mut mac = mac(key);
    mac.update(signing_input.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

/// Verifies signature and expiry (`now` in epoch seconds).
pub(crate) fn verify(key: &[u8], token: &str, now: u64) -> Result<Claims, TokenError> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Invalid);
    };
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| TokenError::Invalid)?;
    let mut mac = mac(key);
    mac.update(header.as_bytes());
    mac.update(b".");
    mac.update(payload.as_bytes());
    mac.verify_slice(&signature)
        .map_err(|_| TokenError::Invalid)?;
    let payload = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| TokenError::Invalid)?;
    let claims: Claims = serde_json::from_slice(&payload).map_err(|_| TokenError::Invalid)?;
    if claims.exp <= now {
        return Err(TokenError::Expired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;

    #[test]
    fn round_trip_expiry_and_forgery() {
        let key = b"0123456789abcdef0123456789abcdef";
        let token = issue(key, "pool", "ak", 100, 200);
        let claims = verify(key, &token, 150).unwrap();
        assert_eq!(claims.scoped_userpool_id, "pool");
        assert_eq!(verify(key, &token, 200).unwrap_err(), TokenError::Expired);
        assert_eq!(
            verify(b"other", &token, 150).unwrap_err(),
            TokenError::Invalid
        );
        let mut forged = token.clone();
        forged.push('A');
        assert_eq!(verify(key, &forged, 150).unwrap_err(), TokenError::Invalid);
        assert_eq!(verify(key, "a.b", 150).unwrap_err(), TokenError::Invalid);
    }

    #[test]
    fn payload_decodes_as_standard_base64_too() {
        // What authing 5.1.0 does: pad, then decode with the standard alphabet.
        for pool in ["62a0000000000000000000ee", "pool>1", "a?b~c"] {
            let token = issue(b"k", pool, "ak", 1, 2);
            let mut payload = token.split('.').nth(1).unwrap().to_owned();
            while !payload.len().is_multiple_of(4) {
                payload.push('=');
            }
            let json: serde_json::Value =
                serde_json::from_slice(&STANDARD.decode(payload).unwrap()).unwrap();
            assert_eq!(json["scoped_userpool_id"], pool);
        }
    }
}
