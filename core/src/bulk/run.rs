//! Running a plan: bounded concurrency, splitting of rejected chunks, early stop,
//! cancellation and the job deadline.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;

use futures_util::stream::{FuturesUnordered, StreamExt};
use tokio::time::Instant;

use crate::bulk::ledger::Ledger;
use crate::bulk::plan::Plan;
use crate::bulk::{BulkOptions, Outcome, OutcomeError};
use crate::error::{Error, Result, TimeoutPhase};
use crate::request::UserIdType;
use crate::response::ResignUserResponse;
use crate::transport::Inner;

/// What one call came back with: the input indexes it named, its result, and the
/// number of HTTP requests it made.
type Sent = (Vec<usize>, Result<ResignUserResponse>, u32);

/// How a failed call affects the job.
#[derive(Debug, PartialEq, Eq)]
enum Failure {
    /// Could be one bad id (a 4xx other than 401/403/429): split and retry the halves.
    Split,
    /// Nothing later would succeed either (auth, throttling or server failure past
    /// the retry budget, transport, timeout, undecodable answer): stop the job.
    Stop,
}

/// apiCode of "user pool not found": a 404 that no split can fix.
const API_CODE_USERPOOL_NOT_FOUND: u32 = 2224;

fn classify(e: &Error) -> Failure {
    match e {
        Error::Api {
            status_code,
            api_code,
            ..
        } if (400..500).contains(status_code)
            && !matches!(status_code, 401 | 403 | 429)
            && !e.is_auth()
            && *api_code != Some(API_CODE_USERPOOL_NOT_FOUND) =>
        {
            Failure::Split
        }
        _ => Failure::Stop,
    }
}

/// Executes `plan`, returning the ledger, the reason the job stopped early (if it
/// did) and the number of HTTP requests made.
pub(crate) async fn execute(
    inner: &Inner,
    ids: &[String],
    id_type: UserIdType,
    plan: Plan,
    options: &BulkOptions,
    started: Instant,
) -> (Ledger, Option<OutcomeError>, u64) {
    let mut ledger = Ledger::new(plan.decided);
    let mut queue: VecDeque<Vec<usize>> = plan.chunks.into();
    let mut in_flight: FuturesUnordered<Pin<Box<dyn Future<Output = Sent> + Send + '_>>> =
        FuturesUnordered::new();
    let deadline = options.deadline.map(|d| started + d);
    let mut stop: Option<OutcomeError> = None;
    let mut http_calls = 0u64;

    loop {
        while stop.is_none() && in_flight.len() < options.concurrency && !queue.is_empty() {
            if options.cancel.as_ref().is_some_and(|t| t.is_cancelled()) {
                stop = Some(OutcomeError::from(&Error::Cancelled));
            } else if deadline.is_some_and(|d| Instant::now() >= d) {
                stop = Some(OutcomeError::from(&Error::Timeout {
                    phase: TimeoutPhase::Job,
                }));
            } else if let Some(chunk) = queue.pop_front() {
                in_flight.push(Box::pin(send(inner, ids, id_type, chunk, deadline)));
            }
        }
        let Some((chunk, result, calls)) = in_flight.next().await else {
            break;
        };
        http_calls += u64::from(calls);
        match result {
            Ok(resp) if resp.data.success => {
                for &i in &chunk {
                    ledger.decide(i, &ids[i], Outcome::Resigned, None, resp.request_id.clone());
                }
            }
            Ok(resp) => {
                // A 200 envelope saying `success: false` names no culprit; report it as is.
                let e = OutcomeError {
                    code: "api_error".into(),
                    message: format!("the server answered success: false ({})", resp.message),
                    status_code: Some(resp.status_code),
                    api_code: resp.api_code,
                };
                for &i in &chunk {
                    ledger.decide(
                        i,
                        &ids[i],
                        Outcome::Failed,
                        Some(e.clone()),
                        resp.request_id.clone(),
                    );
                }
            }
            Err(e) if classify(&e) == Failure::Split && chunk.len() > 1 => {
                // Halves go first in the queue so a split chunk finishes before new ones start.
                let (a, b) = chunk.split_at(chunk.len().div_ceil(2));
                queue.push_front(b.to_vec());
                queue.push_front(a.to_vec());
                continue;
            }
            Err(e) => {
                let oe = OutcomeError::from(&e);
                if classify(&e) == Failure::Stop && stop.is_none() {
                    stop = Some(oe.clone());
                }
                let rid = e.request_id().map(str::to_string);
                for &i in &chunk {
                    ledger.decide(i, &ids[i], Outcome::Failed, Some(oe.clone()), rid.clone());
                }
            }
        }
        ledger.report_progress(options.on_progress.as_ref());
    }
    (ledger, stop, http_calls)
}

/// Sends one chunk; a job deadline cuts the call (its users are then `failed` with a
/// job timeout, since the server may or may not have acted on it).
async fn send(
    inner: &Inner,
    ids: &[String],
    id_type: UserIdType,
    chunk: Vec<usize>,
    deadline: Option<Instant>,
) -> Sent {
    let batch: Vec<&str> = chunk.iter().map(|&i| ids[i].as_str()).collect();
    let call = inner.resign_user_batch_counted(&batch, Some(id_type));
    let (result, calls) = match deadline {
        None => call.await,
        // A cut call's request count is lost with it; at least one request was started.
        Some(d) => tokio::time::timeout_at(d, call).await.unwrap_or((
            Err(Error::Timeout {
                phase: TimeoutPhase::Job,
            }),
            1,
        )),
    };
    (chunk, result, calls)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status_code: u16, api_code: Option<u32>) -> Error {
        Error::Api {
            status_code,
            api_code,
            message: "m".into(),
            request_id: None,
            http_status: 200,
        }
    }

    #[test]
    fn only_culprit_shaped_failures_split() {
        assert_eq!(classify(&api(404, Some(2004))), Failure::Split);
        assert_eq!(classify(&api(400, None)), Failure::Split);
        assert_eq!(classify(&api(422, None)), Failure::Split);
        for e in [
            api(401, None),
            api(403, None),
            api(429, None),
            api(400, Some(1305)),
            api(404, Some(2224)),
            api(500, None),
            api(503, None),
            Error::Transport {
                message: "reset".into(),
            },
            Error::Timeout {
                phase: TimeoutPhase::Total,
            },
            Error::Decode {
                http_status: 404,
                reason: "html".into(),
                snippet: String::new(),
            },
        ] {
            assert_eq!(classify(&e), Failure::Stop, "{e:?}");
        }
    }
}
