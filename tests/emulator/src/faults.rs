//! Injected faults: what a proxy, an overloaded server or a bad network would do.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;

use crate::limits::MAX_DELAY_MS;
use crate::locks::lock;

// Stacked delays stop adding up here: the total a request waits is bounded like one delay.
const MAX_DELAY: Duration = Duration::from_millis(MAX_DELAY_MS);

/// A fault applied to requests on one route before normal processing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// The path it applies to, e.g. `/api/v3/resign-user-batch`, or `*` for every route.
    pub route: String,
    /// What happens.
    pub kind: FaultKind,
    /// How many requests it affects; `None` (or `Some(0)`) = until cleared.
    pub times: Option<u32>,
}

impl Fault {
    /// A fault for the next request on `route` only.
    pub fn once(route: impl Into<String>, kind: FaultKind) -> Fault {
        Fault {
            route: route.into(),
            kind,
            times: Some(1),
        }
    }

    /// A fault for every request on `route` until cleared.
    pub fn always(route: impl Into<String>, kind: FaultKind) -> Fault {
        Fault {
            route: route.into(),
            kind,
            times: None,
        }
    }
}

/// The kinds of fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// An HTTP error from "a proxy": this status (e.g. 502/503/504) with an HTML body.
    HttpStatus {
        /// HTTP status, 100-599.
        status: u16,
        /// Optional `Retry-After` header value.
        retry_after: Option<String>,
    },
    /// HTTP 200 with a failure envelope of this `statusCode` (e.g. 500/503/429).
    EnvelopeStatus {
        /// Envelope `statusCode`.
        status_code: u16,
        /// Optional `Retry-After` header value.
        retry_after: Option<String>,
    },
    /// Extra latency before the request is processed normally (delays add up, to at most
    /// one day in total; another matching fault still applies after the delay).
    Delay(Duration),
    /// Close the connection without answering.
    Drop,
    /// HTTP 200 with an HTML body instead of JSON.
    NonJson,
    /// HTTP 200, `statusCode` 200, `data.success: false`; nothing changes.
    SuccessFalse,
    /// Do the work, then close the connection without answering.
    ActThenDrop,
    /// Do the work, then answer HTTP 200 with an HTML page.
    ActThenNonJson,
    /// Do the work, then answer after this long.
    ActThenDelay(Duration),
    /// HTTP 200 with a body of this many bytes, streamed as fast as possible (nothing
    /// changes): a wrong host, a captive portal, a broken proxy.
    HugeBody {
        /// Body length in bytes.
        size_bytes: u64,
    },
    /// HTTP 200 headers and the start of a body, then nothing for this long, then the
    /// connection is closed with the body unfinished (nothing changes).
    StallBody(Duration),
}

impl FaultKind {
    /// Short label used in the journal and the control API.
    pub(crate) fn label(&self) -> String {
        match self {
            FaultKind::HttpStatus { status, .. } => format!("http_status {status}"),
            FaultKind::EnvelopeStatus { status_code, .. } => {
                format!("envelope_status {status_code}")
            }
            FaultKind::Delay(d) => format!("delay {}ms", d.as_millis()),
            FaultKind::Drop => "drop".into(),
            FaultKind::NonJson => "non_json".into(),
            FaultKind::SuccessFalse => "success_false".into(),
            FaultKind::ActThenDrop => "act_then_drop".into(),
            FaultKind::ActThenNonJson => "act_then_non_json".into(),
            FaultKind::ActThenDelay(d) => format!("act_then_delay {}ms", d.as_millis()),
            FaultKind::HugeBody { size_bytes } => format!("huge_body {size_bytes}B"),
            FaultKind::StallBody(d) => format!("stall_body {}ms", d.as_millis()),
        }
    }

    /// The control API's `kind` name.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            FaultKind::HttpStatus { .. } => "http_status",
            FaultKind::EnvelopeStatus { .. } => "envelope_status",
            FaultKind::Delay(_) => "delay",
            FaultKind::Drop => "drop",
            FaultKind::NonJson => "non_json",
            FaultKind::SuccessFalse => "success_false",
            FaultKind::ActThenDrop => "act_then_drop",
            FaultKind::ActThenNonJson => "act_then_non_json",
            FaultKind::ActThenDelay(_) => "act_then_delay",
            FaultKind::HugeBody { .. } => "huge_body",
            FaultKind::StallBody(_) => "stall_body",
        }
    }
}

/// The control API's view of an active fault.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FaultView {
    id: u64,
    route: String,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delay_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_bytes: Option<u64>,
    /// Requests left; `null` = until cleared.
    remaining: Option<u32>,
}

struct Active {
    id: u64,
    fault: Fault,
    remaining: Option<u32>,
}

/// What the faults matching one request ask for.
#[derive(Default)]
pub(crate) struct Triggered {
    pub delay: Duration,
    pub action: Option<FaultKind>,
    pub labels: Vec<String>,
}

#[derive(Default)]
pub(crate) struct FaultRegistry {
    next_id: AtomicU64,
    active: Mutex<Vec<Active>>,
}

impl FaultRegistry {
    pub(crate) fn add(&self, fault: Fault) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let remaining = fault.times.filter(|&n| n > 0);
        lock(&self.active).push(Active {
            id,
            fault,
            remaining,
        });
        id
    }

    pub(crate) fn clear(&self) {
        lock(&self.active).clear();
    }

    /// Consumes the faults matching `path`: every delay, then the first other fault.
    pub(crate) fn trigger(&self, path: &str) -> Triggered {
        let mut out = Triggered::default();
        let mut active = lock(&self.active);
        if active.is_empty() {
            return out;
        }
        for entry in active.iter_mut() {
            if entry.fault.route != "*" && entry.fault.route != path {
                continue;
            }
            let take = match &entry.fault.kind {
                FaultKind::Delay(d) => {
                    out.delay = out.delay.saturating_add(*d).min(MAX_DELAY);
                    true
                }
                other if out.action.is_none() => {
                    out.action = Some(other.clone());
                    true
                }
                _ => false,
            };
            if take {
                out.labels.push(entry.fault.kind.label());
                if let Some(n) = entry.remaining.as_mut() {
                    *n -= 1;
                }
            }
        }
        active.retain(|a| a.remaining != Some(0));
        out
    }

    pub(crate) fn views(&self) -> Vec<FaultView> {
        lock(&self.active)
            .iter()
            .map(|a| {
                let kind = &a.fault.kind;
                let (status, retry_after) = match kind {
                    FaultKind::HttpStatus {
                        status,
                        retry_after,
                    } => (Some(*status), retry_after.clone()),
                    FaultKind::EnvelopeStatus {
                        status_code,
                        retry_after,
                    } => (Some(*status_code), retry_after.clone()),
                    _ => (None, None),
                };
                let delay_ms = match kind {
                    FaultKind::Delay(d) | FaultKind::ActThenDelay(d) | FaultKind::StallBody(d) => {
                        Some(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
                    }
                    _ => None,
                };
                let size_bytes = match kind {
                    FaultKind::HugeBody { size_bytes } => Some(*size_bytes),
                    _ => None,
                };
                FaultView {
                    id: a.id,
                    route: a.fault.route.clone(),
                    kind: kind.name(),
                    status,
                    retry_after,
                    delay_ms,
                    size_bytes,
                    remaining: a.remaining,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_shot_faults_expire_and_delays_stack() {
        let reg = FaultRegistry::default();
        reg.add(Fault::once("/a", FaultKind::Drop));
        reg.add(Fault::always(
            "*",
            FaultKind::Delay(Duration::from_millis(5)),
        ));
        reg.add(Fault::once("/a", FaultKind::NonJson));

        let first = reg.trigger("/a");
        assert_eq!(first.action, Some(FaultKind::Drop));
        assert_eq!(first.delay, Duration::from_millis(5));
        let second = reg.trigger("/a");
        assert_eq!(second.action, Some(FaultKind::NonJson));
        let third = reg.trigger("/a");
        assert_eq!(third.action, None);
        assert_eq!(third.delay, Duration::from_millis(5));
        assert_eq!(reg.views().len(), 1);
        assert!(reg.trigger("/b").action.is_none());
    }

    #[test]
    fn stacked_delays_saturate_at_the_cap() {
        let reg = FaultRegistry::default();
        reg.add(Fault::once("/a", FaultKind::Delay(Duration::MAX)));
        reg.add(Fault::once("/a", FaultKind::Delay(Duration::MAX)));
        assert_eq!(reg.trigger("/a").delay, MAX_DELAY);
    }
}
