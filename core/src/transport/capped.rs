//! Reading a response body under the client's size cap.

use reqwest::Response;

use crate::error::Error;
use crate::response::decode::snippet;

/// Why a body read stopped.
pub(super) enum ReadError {
    /// The connection failed mid-body.
    Transport(reqwest::Error),
    /// Over the cap: a `decode` error naming it. The rest is never read, and dropping
    /// the unfinished response closes its connection, so it is never reused.
    TooLarge(Error),
}

/// The whole body, or an error once it passes `cap` bytes (or announces more).
pub(super) async fn read(
    mut response: Response,
    cap: u64,
    quotable: bool,
    secret: &str,
) -> Result<Vec<u8>, ReadError> {
    let http_status = response.status().as_u16();
    let too_large = |seen: &[u8]| {
        ReadError::TooLarge(Error::Decode {
            http_status,
            reason: format!(
                "the answer is larger than the {cap}-byte cap (max_response_bytes); \
                 it was not read further"
            ),
            snippet: if quotable {
                snippet(seen, secret)
            } else {
                String::new()
            },
        })
    };
    if response.content_length().is_some_and(|n| n > cap) {
        return Err(too_large(&[]));
    }
    let mut body: Vec<u8> = Vec::new();
    while let Some(piece) = response.chunk().await.map_err(ReadError::Transport)? {
        if (body.len() + piece.len()) as u64 > cap {
            body.extend_from_slice(&piece[..piece.len().min(1024)]);
            return Err(too_large(&body));
        }
        body.extend_from_slice(&piece);
    }
    Ok(body)
}
