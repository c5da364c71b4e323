//! [`Interval`]: how a duration crosses the FFI, and its checked conversion.
//!
//! uniffi's built-in `Duration` is lowered by generated foreign code that Rust never
//! sees: Swift calls `fatalError` on a negative `TimeInterval` and traps on NaN, Kotlin
//! throws `IllegalArgumentException`. A plain `f64` of seconds crosses unchecked instead,
//! so every value reaches Rust and a bad one becomes a typed `AuthingError`.

use std::time::Duration;

/// A duration in seconds: Swift `TimeInterval`, Kotlin `java.time.Duration` (the Kotlin
/// side converts it to seconds, which cannot fail). Checked in Rust when the options
/// are converted: negative, NaN, infinite or too large values are refused by name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval(pub f64);

uniffi::custom_newtype!(
    /// A duration in seconds (Swift `TimeInterval`, Kotlin `java.time.Duration`).
    Interval,
    f64
);

impl Interval {
    /// The duration, or why this value is not one (the caller names the option).
    pub(crate) fn to_duration(self) -> Result<Duration, String> {
        let s = self.0;
        if s.is_nan() {
            return Err("must be a number of seconds, got NaN".into());
        }
        if s < 0.0 {
            return Err(format!("must not be negative, got {s} s"));
        }
        // Infinity and values beyond `Duration::MAX` land here.
        Duration::try_from_secs_f64(s).map_err(|_| format!("is too large ({s} s)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_seconds_convert_exactly_enough() {
        assert_eq!(Interval(0.0).to_duration(), Ok(Duration::ZERO));
        assert_eq!(Interval(-0.0).to_duration(), Ok(Duration::ZERO));
        assert_eq!(Interval(0.25).to_duration(), Ok(Duration::from_millis(250)));
        assert_eq!(Interval(30.0).to_duration(), Ok(Duration::from_secs(30)));
    }

    #[test]
    fn bad_values_are_refused_with_the_rule() {
        let neg = Interval(-0.005).to_duration().unwrap_err();
        assert!(neg.contains("must not be negative"), "{neg}");
        let nan = Interval(f64::NAN).to_duration().unwrap_err();
        assert!(nan.contains("NaN"), "{nan}");
        for big in [f64::INFINITY, 1e30] {
            let e = Interval(big).to_duration().unwrap_err();
            assert!(e.contains("too large"), "{e}");
        }
        assert!(Interval(f64::NEG_INFINITY)
            .to_duration()
            .unwrap_err()
            .contains("negative"));
    }
}
