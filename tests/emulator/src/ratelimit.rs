//! A token-bucket rate limiter over all API requests (burst = one second's worth).

use std::sync::Mutex;
use std::time::Instant;

use crate::locks::lock;
use crate::settings::RateLimit;

#[derive(Default)]
pub(crate) struct RateLimiter {
    bucket: Mutex<Option<Bucket>>,
}

struct Bucket {
    rps: u32,
    tokens: f64,
    last: Instant,
}

impl RateLimiter {
    /// Takes one token; false when the request must be throttled.
    pub(crate) fn admit(&self, limit: Option<RateLimit>) -> bool {
        let Some(limit) = limit else {
            return true;
        };
        let rps = limit.rps.max(1);
        let now = Instant::now();
        let mut guard = lock(&self.bucket);
        let bucket = match guard.as_mut() {
            Some(b) if b.rps == rps => b,
            // A new or changed limit starts with a full bucket.
            _ => guard.insert(Bucket {
                rps,
                tokens: f64::from(rps),
                last: now,
            }),
        };
        let elapsed = now.duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * f64::from(rps)).min(f64::from(rps));
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    pub(crate) fn reset(&self) {
        *lock(&self.bucket) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_a_burst_then_throttles() {
        let limiter = RateLimiter::default();
        let limit = Some(RateLimit {
            rps: 3,
            retry_after: None,
        });
        assert!(limiter.admit(None));
        assert!((0..3).all(|_| limiter.admit(limit)));
        assert!(!limiter.admit(limit));
        limiter.reset();
        assert!(limiter.admit(limit));
    }
}
