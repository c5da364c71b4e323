//! `Retry-After`: arbitrary text, delta seconds and HTTP dates (IMF-fixdate and the
//! obsolete forms httpdate reads). Never a panic; seconds read exactly; a date in the
//! past is zero and a future one at most its distance from now.
#![no_main]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use arbitrary::Arbitrary;
use authing_resign::fuzzing;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Input {
    Text(String),
    Seconds(u64, String, String),
    Date(u32, bool),
}

fuzz_target!(|input: Input| {
    match input {
        Input::Text(text) => {
            let parsed = fuzzing::parse_retry_after(&text);
            if let Ok(secs) = text.trim().parse::<u64>() {
                assert_eq!(parsed, Some(Duration::from_secs(secs)));
            }
        }
        Input::Seconds(secs, before, after) => {
            let ws = |s: &str| {
                s.chars()
                    .filter(|c| *c == ' ' || *c == '\t')
                    .collect::<String>()
            };
            let text = format!("{}{secs}{}", ws(&before), ws(&after));
            assert_eq!(
                fuzzing::parse_retry_after(&text),
                Some(Duration::from_secs(secs))
            );
        }
        Input::Date(offset, future) => {
            let now = SystemTime::now();
            let distance = Duration::from_secs(u64::from(offset));
            let when = if future {
                now + distance
            } else {
                now.checked_sub(distance).unwrap_or(UNIX_EPOCH)
            };
            // httpdate formats years up to 9999 only.
            if when
                .duration_since(UNIX_EPOCH)
                .map_or(true, |d| d.as_secs() >= 253_402_300_800)
            {
                return;
            }
            let text = httpdate::fmt_http_date(when);
            let parsed = fuzzing::parse_retry_after(&text).expect("an IMF-fixdate parses");
            if future {
                assert!(parsed <= distance, "{parsed:?} > {distance:?}");
            } else {
                assert!(
                    parsed <= Duration::from_secs(1),
                    "a past date waits {parsed:?}"
                );
            }
        }
    }
});
