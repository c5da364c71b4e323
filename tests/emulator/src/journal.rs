//! The journal: what the emulator received and how it answered, for tests to inspect.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::locks::lock;

/// Oldest entries are dropped beyond this many, so a long benchmark cannot exhaust memory.
pub(crate) const JOURNAL_CAP: usize = 100_000;

/// Which authentication scheme a request used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthKind {
    /// `authorization: authing <keyId>:<signature>`.
    Signature,
    /// A management token (`Bearer <jwt>` or a bare `<jwt>`).
    Token,
    /// No credentials (or none needed, as for `get-management-token`).
    None,
}

/// One received API request and its answer. Secrets are redacted: `authorization`
/// becomes `authing <keyId>:***` or `Bearer ***`, and an `accessKeySecret` body field `***`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    /// Position in the journal, from 1.
    pub seq: u64,
    /// HTTP method.
    pub method: String,
    /// URL path.
    pub path: String,
    /// Raw query string, if any.
    pub query: Option<String>,
    /// Request headers with lower-case names (repeated headers joined by `, `).
    pub headers: BTreeMap<String, String>,
    /// The body parsed as JSON, or the raw text when it is not JSON (`null` when empty).
    pub body: Value,
    /// The authentication scheme the request used.
    pub auth: AuthKind,
    /// The envelope `statusCode` answered (0 when no envelope was sent).
    pub status_code: u16,
    /// The envelope `apiCode`, if any.
    pub api_code: Option<u32>,
    /// The HTTP status answered (0 when the connection was dropped).
    pub http_status: u16,
    /// The `requestId` of the answer.
    pub request_id: String,
    /// Which TCP connection carried the request (from 1, per emulator).
    pub connection_id: u64,
    /// The fault applied, e.g. `http_status 502`, `delay 500ms`, `drop`.
    pub fault: Option<String>,
}

#[derive(Default)]
pub(crate) struct Journal {
    entries: Mutex<VecDeque<JournalEntry>>,
    seq: AtomicU64,
}

impl Journal {
    pub(crate) fn push(&self, mut entry: JournalEntry) {
        let mut entries = lock(&self.entries);
        // Numbered under the lock so sequence order equals journal order.
        entry.seq = self.seq.fetch_add(1, Ordering::Relaxed) + 1;
        if entries.len() >= JOURNAL_CAP {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    pub(crate) fn entries(&self) -> Vec<JournalEntry> {
        lock(&self.entries).iter().cloned().collect()
    }

    pub(crate) fn clear(&self) {
        lock(&self.entries).clear();
        self.seq.store(0, Ordering::Relaxed);
    }
}

/// Redacts an `authorization` header value for the journal.
pub(crate) fn redact_authorization(value: &str) -> String {
    if let Some(rest) = value.strip_prefix("authing ") {
        let key_id = rest.split(':').next().unwrap_or("");
        format!("authing {key_id}:***")
    } else if value.starts_with("Bearer ") || value.starts_with("bearer ") {
        "Bearer ***".into()
    } else {
        "***".into()
    }
}

/// Redacts secrets a request body may carry (the token exchange's `accessKeySecret`).
pub(crate) fn redact_body(mut body: Value) -> Value {
    if let Some(secret) = body.get_mut("accessKeySecret") {
        *secret = Value::String("***".into());
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_both_schemes_and_body_secret() {
        assert_eq!(redact_authorization("authing key:c2ln"), "authing key:***");
        assert_eq!(redact_authorization("Bearer a.b.c"), "Bearer ***");
        assert_eq!(redact_authorization("a.b.c"), "***");
        let body = redact_body(serde_json::json!({"accessKeyId":"k","accessKeySecret":"s"}));
        assert_eq!(
            body,
            serde_json::json!({"accessKeyId":"k","accessKeySecret":"***"})
        );
    }
}
