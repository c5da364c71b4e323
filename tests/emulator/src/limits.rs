//! Upper bounds for numeric settings, enforced by the control API (statusCode 400),
//! the binary's flags (exit 2) and [`crate::Emulator::start_on`]. Without them a huge value from the control API or
//! a flag overflows time arithmetic (a panic and a dropped connection) instead of
//! getting a clear 400.

use serde_json::Value;

/// Largest `tokenTtlSecs`, `clockSkewSecs` and `retryAfterSecs`: 365 days.
pub const MAX_SECS: u64 = 365 * 86_400;
/// Largest `rateLimit.rps`.
pub const MAX_RPS: u64 = 1_000_000;
/// Largest fault `delayMs`, and the cap on stacked delays: one day.
pub const MAX_DELAY_MS: u64 = 86_400_000;
/// Largest `huge_body` fault `sizeBytes`: 64 GiB (streamed, never held in memory).
pub const MAX_FAULT_BODY_BYTES: u64 = 64 << 30;
/// Largest fault `times`.
pub const MAX_TIMES: u64 = 1_000_000;

/// `value` as an integer in `min..=max`, or a message naming `name` and the range.
/// Taking a JSON value (not a `u64`) lets floats, negatives and numbers beyond `u64`
/// get the same clear message instead of a serde error that names no field.
pub(crate) fn integer(value: &Value, name: &str, min: u64, max: u64) -> Result<u64, String> {
    value
        .as_u64()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| format!("{name} must be an integer from {min} to {max}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accepts_the_range_and_names_the_field_otherwise() {
        assert_eq!(integer(&json!(5), "x", 1, 5), Ok(5));
        for bad in [
            json!(0),
            json!(6),
            json!(-1),
            json!(1.5),
            json!(1e30),
            json!("3"),
        ] {
            assert_eq!(
                integer(&bad, "x", 1, 5),
                Err("x must be an integer from 1 to 5".into()),
                "{bad}"
            );
        }
    }
}
