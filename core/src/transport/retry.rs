//! Retry timing: exponential backoff with full jitter, `Retry-After`, the deadline.

use std::time::{Duration, SystemTime};

use crate::config::RetryPolicy;

/// The delay before retry number `retry` (1-based): a server's `Retry-After` when
/// given, else a uniform pick in `[0, min(max_delay, base · 2^(retry-1))]`; always
/// capped by `max_delay`.
pub(crate) fn delay(policy: &RetryPolicy, retry: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(after) = retry_after {
        return after.min(policy.max_delay);
    }
    let exp = 2u32.saturating_pow(retry.saturating_sub(1));
    let ceiling = policy.base_delay.saturating_mul(exp).min(policy.max_delay);
    let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(rand::random_range(0..=nanos))
}

/// Parses a `Retry-After` value: delta seconds or an HTTP date (a past date is zero).
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_jitter_stays_under_the_exponential_ceiling() {
        let p = RetryPolicy::default();
        for retry in 1..=8 {
            let ceiling = (p.base_delay * 2u32.pow(retry - 1)).min(p.max_delay);
            for _ in 0..50 {
                assert!(delay(&p, retry, None) <= ceiling);
            }
        }
        assert!(delay(&p, u32::MAX, None) <= p.max_delay);
    }

    #[test]
    fn retry_after_wins_but_is_capped() {
        let p = RetryPolicy {
            max_delay: Duration::from_secs(2),
            ..RetryPolicy::default()
        };
        assert_eq!(
            delay(&p, 1, Some(Duration::from_secs(1))),
            Duration::from_secs(1)
        );
        assert_eq!(
            delay(&p, 1, Some(Duration::from_secs(60))),
            Duration::from_secs(2)
        );
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        assert_eq!(parse_retry_after(" 3 "), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Mon, 01 Jan 2024 00:00:00 GMT"),
            Some(Duration::ZERO)
        );
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let d = parse_retry_after(&later).unwrap();
        assert!(
            d > Duration::from_secs(27) && d <= Duration::from_secs(30),
            "{d:?}"
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
