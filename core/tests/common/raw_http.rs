//! Reading requests by hand, for the hostile servers tests write themselves (what the
//! emulator will not do: redirects, lying lengths, odd answers).

use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// Reads one request (the head and its `Content-Length` body) and returns its raw text;
/// what arrived so far if the peer closes first.
pub async fn read_request(stream: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf);
        if let Some(end) = text.find("\r\n\r\n") {
            if buf.len() >= end + 4 + content_length(&text[..end]) {
                break;
            }
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// The `Content-Length` a request head announces (0 when none).
fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0)
}
