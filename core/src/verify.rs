//! `verify`: reading users back with `GET /api/v3/get-user-batch` after a job (or
//! instead of one, `verify_only`) and settling each report line by the status seen.
//!
//! Rules (an auditor's): `unknown` seen `Resigned` becomes `resigned`; `resigned` or
//! `unknown` seen with another status becomes `failed` with [`NOT_RESIGNED`]; a user
//! the lookup does not return stays as it was, `verified: false` (a real server may
//! hide resigned users from lookups: that is "not verified", never "failed").

mod lookup;

use futures_util::stream::{self, StreamExt};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::bulk::table::UserTable;
use crate::bulk::{BulkOptions, Outcome, OutcomeError, UserOutcome};
use crate::client::ClientState;
use crate::request::UserIdType;

pub use lookup::GET_USER_BATCH_PATH;

/// `OutcomeError::code` of a user `verify` saw with a status other than `Resigned`
/// after its call: the server shows it is not resigned.
pub const NOT_RESIGNED: &str = "not_resigned";

/// The status a resigned user shows.
const RESIGNED: &str = "Resigned";

/// What a verification pass needs from its job.
pub(crate) struct Pass<'a> {
    pub(crate) inner: &'a ClientState,
    pub(crate) id_type: UserIdType,
    pub(crate) options: &'a BulkOptions,
    pub(crate) deadline: Option<Instant>,
    pub(crate) abort: Option<&'a CancellationToken>,
}

impl Pass<'_> {
    /// Looks up the users `check` selects (`ids` are the job's input ids) and settles
    /// their lines; returns the number of lookup requests sent.
    pub(crate) async fn run(
        &self,
        table: &mut UserTable,
        ids: &[String],
        check: fn(Outcome) -> bool,
    ) -> u64 {
        let mut todo: Vec<usize> = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            if !table.outcome(i).is_some_and(check) {
                continue;
            }
            match lookup::unlookable(id, self.id_type) {
                Some(why) => table.update(i, id, |l| not_verified(l, why)),
                None => todo.push(i),
            }
        }
        let chunks: Vec<Vec<usize>> = todo
            .chunks(self.options.chunk_size)
            .map(<[usize]>::to_vec)
            .collect();
        let mut answers = stream::iter(chunks)
            .map(|chunk| async move {
                let batch: Vec<&str> = chunk.iter().map(|&i| ids[i].as_str()).collect();
                let result = self.look(&batch).await;
                (chunk, result)
            })
            .buffer_unordered(self.options.concurrency);
        let mut requests = 0u64;
        while let Some((chunk, result)) = answers.next().await {
            match result {
                Ok((seen, sent)) => {
                    requests += u64::from(sent);
                    for i in chunk {
                        let id = ids[i].as_str();
                        match seen.get(id) {
                            Some(status) => table.update(i, id, |l| settle(l, status)),
                            None => table.update(i, id, |l| {
                                not_verified(
                                    l,
                                    "not verified: get-user-batch did not return this user \
                                     (an unknown id, or a server that hides resigned users)"
                                        .into(),
                                )
                            }),
                        }
                    }
                }
                Err((why, sent)) => {
                    requests += u64::from(sent);
                    for i in chunk {
                        table.update(i, &ids[i], |l| not_verified(l, why.clone()));
                    }
                }
            }
        }
        requests
    }

    /// One lookup, unless the job was stopped (cancel, abort, deadline) first; cut by
    /// the deadline or an abort.
    async fn look(&self, batch: &[&str]) -> Result<(lookup::Seen, u32), (String, u32)> {
        let stopped =
            |t: Option<&CancellationToken>| t.is_some_and(CancellationToken::is_cancelled);
        if stopped(self.abort) || stopped(self.options.cancel.as_ref()) {
            return Err((
                "not verified: the job was cancelled before the lookup".into(),
                0,
            ));
        }
        if self.deadline.is_some_and(|d| Instant::now() >= d) {
            return Err((
                "not verified: the job deadline passed before the lookup".into(),
                0,
            ));
        }
        let call = lookup::lookup(self.inner, batch, self.id_type);
        let timed = async {
            match self.deadline {
                None => Some(call.await),
                Some(d) => tokio::time::timeout_at(d, call).await.ok(),
            }
        };
        let called = match self.abort {
            None => timed.await,
            Some(abort) => tokio::select! {
                r = timed => r,
                () = abort.cancelled() => None,
            },
        };
        match called {
            None => Err((
                "not verified: the lookup was cut by the job deadline or an abort".into(),
                1,
            )),
            Some(c) => match c.result {
                Ok(seen) => Ok((seen, c.requests)),
                Err(e) => Err((format!("not verified: the lookup failed: {e}"), c.requests)),
            },
        }
    }
}

/// Sets the line by the status the server shows.
fn settle(line: &mut UserOutcome, status: &str) {
    line.verified = Some(true);
    line.status = Some(status.to_owned());
    line.verify_note = None;
    match (line.outcome, status == RESIGNED) {
        (Outcome::Unknown, true) => {
            line.verify_note = line.error.take().map(|e| {
                format!(
                    "the answer was lost ({}); the lookup shows Resigned",
                    e.code
                )
            });
            line.outcome = Outcome::Resigned;
        }
        (Outcome::Resigned | Outcome::Unknown, false) => {
            let after = if line.outcome == Outcome::Resigned {
                "although the call succeeded"
            } else {
                "after a call whose answer was lost"
            };
            line.outcome = Outcome::Failed;
            line.error = Some(OutcomeError {
                code: NOT_RESIGNED.into(),
                message: format!("not resigned: the server shows status {status} {after}"),
                status_code: None,
                api_code: None,
                retryable: false,
                auth: false,
            });
        }
        _ => {}
    }
}

fn not_verified(line: &mut UserOutcome, why: String) {
    line.verified = Some(false);
    line.verify_note = Some(why);
}
