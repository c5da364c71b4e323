//! What a failed call means for the job: split the chunk to find the culprit, record
//! the failure, or stop. Pure (no I/O) so the rules are unit-tested one by one.

use crate::error::Error;

/// What to do with the users of a failed call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Could be one bad id: retry the halves of the chunk.
    Split,
    /// Record the failure for these users and go on.
    Fail,
    /// Record the failure and stop the job: later calls would fail the same way.
    Stop,
}

/// apiCode of "user not found": always about one id, so it never stops the job.
const API_CODE_USER_NOT_FOUND: u32 = 2004;
/// apiCode of "user pool not found": a 404 that no split can fix.
const API_CODE_USERPOOL_NOT_FOUND: u32 = 2224;

/// Single-id failures identical to the first chunk rejection, with no success in the
/// job, after which the rejection is taken to be about the request, not about ids.
/// Two, not one: a single bad id can then never stop the job, because the other half
/// of its last split (a single good id) succeeds first.
const SAME_FAILURES_TO_STOP: u32 = 2;

/// The rules, plus the little job history the "same error everywhere" rule needs.
#[derive(Debug, Default)]
pub(crate) struct Triage {
    /// (statusCode, apiCode, message) of the first multi-id call rejected with a 4xx
    /// that could be about one id.
    first_rejection: Option<(u16, Option<u32>, String)>,
    /// Single-id calls that failed exactly like `first_rejection`.
    same_as_first: u32,
    /// Whether any call of the job succeeded.
    any_success: bool,
}

impl Triage {
    /// Notes a successful call.
    pub(crate) fn succeeded(&mut self) {
        self.any_success = true;
    }

    /// The verdict on a call naming `ids_in_call` ids that failed with `e`.
    pub(crate) fn judge(&mut self, e: &Error, ids_in_call: usize) -> Verdict {
        if matches!(e, Error::ApiRejected { .. }) {
            // `success: false` names no culprit and is never retried: report it, go on.
            return Verdict::Fail;
        }
        let Some(key) = culprit_shaped(e) else {
            return Verdict::Stop;
        };
        if ids_in_call > 1 {
            self.first_rejection.get_or_insert(key);
            return Verdict::Split;
        }
        if key.1 == Some(API_CODE_USER_NOT_FOUND) || self.any_success {
            return Verdict::Fail;
        }
        if self.first_rejection.as_ref() == Some(&key) {
            self.same_as_first += 1;
            if self.same_as_first >= SAME_FAILURES_TO_STOP {
                return Verdict::Stop;
            }
        }
        Verdict::Fail
    }
}

/// The (statusCode, apiCode, message) of a failure that could be about one id: a 4xx
/// other than 401/403/429, not an auth apiCode, not "user pool not found", and not a
/// 404 without apiCode (an unknown route, e.g. a wrong path prefix in the host: the
/// user-not-found answer carries apiCode 2004). `None` for everything else: auth,
/// throttling or server failure past the retry budget, transport, timeout,
/// undecodable answer, cancellation.
fn culprit_shaped(e: &Error) -> Option<(u16, Option<u32>, String)> {
    match e {
        Error::Api {
            status_code,
            api_code,
            message,
            ..
        } if (400..500).contains(status_code)
            && !matches!(status_code, 401 | 403 | 429)
            && !e.is_auth()
            && *api_code != Some(API_CODE_USERPOOL_NOT_FOUND)
            && !(*status_code == 404 && api_code.is_none()) =>
        {
            Some((*status_code, *api_code, message.clone()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::TimeoutPhase;

    fn api(status_code: u16, api_code: Option<u32>) -> Error {
        api_msg(status_code, api_code, "m")
    }

    fn api_msg(status_code: u16, api_code: Option<u32>, message: &str) -> Error {
        Error::Api {
            status_code,
            api_code,
            message: message.into(),
            request_id: None,
            http_status: 200,
        }
    }

    #[test]
    fn only_culprit_shaped_failures_split() {
        for e in [api(404, Some(2004)), api(400, None), api(422, None)] {
            assert_eq!(Triage::default().judge(&e, 2), Verdict::Split, "{e:?}");
        }
        for e in [
            api(401, None),
            api(403, None),
            api(429, None),
            api(400, Some(1305)),
            api(404, Some(2224)),
            api(404, None),
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
            Error::Cancelled,
        ] {
            assert_eq!(Triage::default().judge(&e, 2), Verdict::Stop, "{e:?}");
            assert_eq!(Triage::default().judge(&e, 1), Verdict::Stop, "{e:?}");
        }
    }

    #[test]
    fn the_same_rejection_for_two_single_ids_and_no_success_stops() {
        let mut t = Triage::default();
        let e = api(400, None);
        assert_eq!(t.judge(&e, 50), Verdict::Split);
        assert_eq!(t.judge(&e, 25), Verdict::Split);
        assert_eq!(
            t.judge(&e, 1),
            Verdict::Fail,
            "one bad id never stops the job"
        );
        assert_eq!(t.judge(&e, 1), Verdict::Stop);
    }

    #[test]
    fn a_success_or_a_different_error_keeps_isolating() {
        let mut t = Triage::default();
        assert_eq!(t.judge(&api(400, None), 2), Verdict::Split);
        assert_eq!(t.judge(&api_msg(400, None, "other"), 1), Verdict::Fail);
        assert_eq!(t.judge(&api_msg(400, None, "other"), 1), Verdict::Fail);
        assert_eq!(t.judge(&api(422, None), 1), Verdict::Fail);
        t.succeeded();
        assert_eq!(t.judge(&api(400, None), 1), Verdict::Fail);
        assert_eq!(t.judge(&api(400, None), 1), Verdict::Fail);
    }

    #[test]
    fn success_false_fails_the_call_and_goes_on() {
        let e = Error::ApiRejected {
            message: "m".into(),
            request_id: None,
        };
        assert_eq!(Triage::default().judge(&e, 50), Verdict::Fail);
        assert_eq!(Triage::default().judge(&e, 1), Verdict::Fail);
    }

    #[test]
    fn unknown_users_never_stop_the_job() {
        let mut t = Triage::default();
        let e = api(404, Some(2004));
        assert_eq!(t.judge(&e, 2), Verdict::Split);
        for _ in 0..5 {
            assert_eq!(t.judge(&e, 1), Verdict::Fail);
        }
    }
}
