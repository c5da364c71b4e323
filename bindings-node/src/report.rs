//! The bulk report as the job keeps it (the core's `CompactReport`, ~20 bytes per user
//! besides the ids) and the pieces `lib/report.js` builds the JavaScript report from:
//! per-user columns in typed arrays, and each error, request id, status and note once,
//! however many users share it. No per-user Rust object is made on the way.

use std::collections::HashMap;
use std::sync::Arc;

use napi::bindgen_prelude::*;

use authing_resign::{
    BulkProgress as CoreProgress, BulkTotals as CoreTotals, CompactReport, Outcome,
    OutcomeError as CoreOutcomeError, UserLine,
};

/// The error attached to a user's outcome.
#[napi(object)]
pub struct OutcomeError {
    /// The error class's code (`api_error`, `invalid_argument`, `transport`, …).
    pub code: String,
    /// Human-readable message.
    pub message: String,
    /// Envelope statusCode (or HTTP status), if any.
    pub status_code: Option<u32>,
    /// Envelope apiCode, if any.
    pub api_code: Option<u32>,
    /// Whether retrying may succeed (as `AuthingError.isRetryable()`).
    pub retryable: bool,
    /// Whether it is an authentication failure (as `AuthingError.isAuth()`).
    pub auth: bool,
}

/// Counts per outcome; they always add up to the number of input ids.
#[napi(object)]
pub struct BulkTotals {
    /// `resigned` users.
    pub resigned: u32,
    /// `failed` users.
    pub failed: u32,
    /// `unknown` users (answer lost after sending).
    pub unknown: u32,
    /// `invalid` users.
    pub invalid: u32,
    /// `duplicate` users.
    pub duplicate: u32,
    /// `not_attempted` users.
    pub not_attempted: u32,
}

/// A progress event, delivered to `onProgress` after each chunk.
#[napi(object)]
pub struct BulkProgress {
    /// Users decided so far (every outcome counts, invalid and duplicate included).
    pub done: u32,
    /// Users in the input.
    pub total: u32,
    /// Counts so far.
    pub totals: BulkTotals,
}

/// The report's fields other than `users` and `chunks` (see `BulkReport` in
/// `lib/index.d.ts`), and how many users it holds.
#[napi(object)]
pub struct ReportSummary {
    /// The id type used.
    pub user_id_type: String,
    /// Whether this was a dry run (nothing sent).
    pub dry_run: bool,
    /// Counts per outcome.
    pub totals: BulkTotals,
    /// HTTP requests made to the resignation endpoint.
    pub http_calls: i64,
    /// Wall time of the job, in milliseconds.
    pub elapsed_ms: i64,
    /// Why the job stopped early, if it did.
    pub stopped_early: Option<OutcomeError>,
    /// Whether this was a `verifyOnly` run.
    pub verify_only: bool,
    /// HTTP requests made to `get-user-batch`.
    pub lookup_calls: i64,
    /// The number of users (input ids).
    pub len: u32,
}

/// The per-user lines as columns, one entry per input id. A reference is 0 for none,
/// else 1 + its index in `errorTable` (errors) or `texts` (request ids, statuses, notes).
#[napi(object)]
pub struct ReportLines {
    /// The outcome, as its index in `outcomes()` (the core's `Outcome::ALL`).
    pub outcomes: Uint8Array,
    /// `error`, a reference into `errorTable`.
    pub errors: Uint32Array,
    /// `requestId`, a reference into `texts`.
    pub request_ids: Uint32Array,
    /// `status`, a reference into `texts`.
    pub statuses: Uint32Array,
    /// `verifyNote`, a reference into `texts`.
    pub notes: Uint32Array,
    /// `verified`: 0 null, 1 false, 2 true.
    pub verified: Uint8Array,
    /// `earlierRun`: 0 or 1.
    pub earlier_run: Uint8Array,
    /// Each error once (a call's users share it).
    pub error_table: Vec<OutcomeError>,
    /// Each request id, status and note once.
    pub texts: Vec<String>,
}

/// The planned chunks as input indexes: chunk `k` is `members[ends[k-1]..ends[k]]`.
#[napi(object)]
pub struct ReportChunks {
    /// Where each chunk ends in `members`.
    pub ends: Uint32Array,
    /// The input index of each chunk's ids, chunk after chunk.
    pub members: Uint32Array,
}

/// A finished job's report as the core keeps it. Held (hidden) by the JavaScript report
/// for `writeJson`; freed with it.
#[napi]
pub struct NativeReport {
    pub(crate) inner: Arc<CompactReport>,
}

#[napi]
impl NativeReport {
    /// Everything but the users and chunks.
    #[napi]
    pub fn summary(&self) -> ReportSummary {
        let r = &self.inner;
        ReportSummary {
            user_id_type: r.user_id_type.as_str().to_string(),
            dry_run: r.dry_run,
            totals: (&r.totals).into(),
            http_calls: big(r.http_calls),
            elapsed_ms: big(r.elapsed_ms),
            stopped_early: r.stopped_early.as_ref().map(Into::into),
            verify_only: r.verify_only,
            lookup_calls: big(r.lookup_calls),
            len: count(r.len() as u64),
        }
    }

    /// The users' lines, in input order.
    #[napi]
    pub fn lines(&self) -> ReportLines {
        let r = &self.inner;
        let n = r.len();
        let mut outcomes = Vec::with_capacity(n);
        let mut errors = Vec::with_capacity(n);
        let mut request_ids = Vec::with_capacity(n);
        let mut statuses = Vec::with_capacity(n);
        let mut notes = Vec::with_capacity(n);
        let mut verified = Vec::with_capacity(n);
        let mut earlier_run = Vec::with_capacity(n);
        let mut error_table = Shared::default();
        let mut texts = Shared::default();
        for line in r.users() {
            // Every field named, so a field added to the core's line fails to compile here.
            let UserLine {
                // The JavaScript side keeps the ids it passed in, as given.
                user_id: _,
                outcome,
                error,
                request_id,
                verified: seen,
                status,
                verify_note,
                earlier_run: earlier,
            } = line;
            outcomes.push(outcome_index(outcome));
            errors.push(error_table.reference(error));
            request_ids.push(texts.reference(request_id));
            statuses.push(texts.reference(status));
            notes.push(texts.reference(verify_note));
            verified.push(seen.map_or(0, |v| 1 + u8::from(v)));
            earlier_run.push(u8::from(earlier));
        }
        ReportLines {
            outcomes: outcomes.into(),
            errors: errors.into(),
            request_ids: request_ids.into(),
            statuses: statuses.into(),
            notes: notes.into(),
            verified: verified.into(),
            earlier_run: earlier_run.into(),
            error_table: error_table.values.into_iter().map(Into::into).collect(),
            texts: texts.values.into_iter().map(str::to_string).collect(),
        }
    }

    /// Streams the report's JSON (the core's, snake_case) to `path` off the JS thread.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn write_json<'env>(
        &self,
        env: &'env Env,
        path: String,
        indent: Option<f64>,
    ) -> Result<PromiseRaw<'env, ()>> {
        crate::report_file::spawn(env, Arc::clone(&self.inner), path, indent)
    }

    /// The core's `BulkReport::to_json` of this report, built whole in memory: what
    /// `writeJson` must equal byte for byte (the tests compare them).
    #[napi]
    pub fn core_json(&self, env: &Env, indent: Option<f64>) -> Result<String> {
        let json = crate::report_file::indent(indent)
            .and_then(|indent| self.inner.as_ref().clone().into_report().to_json(indent));
        json.map_err(|e| crate::errors::to_js(env, e))
    }

    /// The planned chunks, as input indexes.
    #[napi]
    pub fn chunks(&self) -> ReportChunks {
        let mut ends = Vec::with_capacity(self.inner.chunk_indexes().len());
        let mut members = Vec::new();
        for chunk in self.inner.chunk_indexes() {
            members.extend(chunk.iter().map(|&i| index(i)));
            ends.push(index(members.len()));
        }
        ReportChunks {
            ends: ends.into(),
            members: members.into(),
        }
    }
}

/// Entries many users point at (a call's error and request id, a status, a note), each
/// kept once. The core keeps each once too, so the same entry is the same address:
/// identity, not equality, decides — two calls that failed alike keep two errors, as
/// the core does.
struct Shared<'a, T: ?Sized> {
    values: Vec<&'a T>,
    seen: HashMap<*const T, u32>,
}

impl<T: ?Sized> Default for Shared<'_, T> {
    fn default() -> Self {
        Self {
            values: Vec::new(),
            seen: HashMap::new(),
        }
    }
}

impl<'a, T: ?Sized> Shared<'a, T> {
    /// 0 for none, else 1 + the entry's index.
    fn reference(&mut self, value: Option<&'a T>) -> u32 {
        let Some(value) = value else { return 0 };
        let next = index(self.values.len() + 1);
        let r = *self.seen.entry(value as *const T).or_insert(next);
        if r == next {
            self.values.push(value);
        }
        r
    }
}

/// A report's indexes fit in u32: the core holds fewer than 2^32 users.
fn index(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 2^32 users")
}

fn outcome_index(o: Outcome) -> u8 {
    Outcome::ALL
        .iter()
        .position(|&x| x == o)
        .expect("every outcome is in ALL") as u8
}

/// JavaScript numbers hold counts far beyond any real job; saturate instead of wrapping.
fn count(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn big(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl From<&CoreTotals> for BulkTotals {
    fn from(t: &CoreTotals) -> Self {
        Self {
            resigned: count(t.resigned),
            failed: count(t.failed),
            unknown: count(t.unknown),
            invalid: count(t.invalid),
            duplicate: count(t.duplicate),
            not_attempted: count(t.not_attempted),
        }
    }
}

impl From<&CoreOutcomeError> for OutcomeError {
    fn from(e: &CoreOutcomeError) -> Self {
        Self {
            code: e.code.clone(),
            message: e.message.clone(),
            status_code: e.status_code.map(u32::from),
            api_code: e.api_code,
            retryable: e.retryable,
            auth: e.auth,
        }
    }
}

impl From<&CoreProgress> for BulkProgress {
    fn from(p: &CoreProgress) -> Self {
        Self {
            done: count(p.done),
            total: count(p.total),
            totals: (&p.totals).into(),
        }
    }
}
