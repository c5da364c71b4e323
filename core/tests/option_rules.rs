//! The limits `build()` enforces on durations and on values sent as headers, each
//! failing with a `Config` error that names the option.

use std::time::Duration;

use authing_resign::config::MAX_CALL_DURATION;
use authing_resign::{ClientOptions, ClientOptionsBuilder, Error, RetryPolicy};

fn b() -> ClientOptionsBuilder {
    ClientOptions::builder("id", "secret")
}

/// The option a `Config` error names, and its reason.
fn config_error(result: authing_resign::Result<ClientOptions>) -> (String, String) {
    match result {
        Err(Error::Config { option, reason }) => (option.to_string(), reason),
        other => panic!("expected a Config error, got {other:?}"),
    }
}

fn retry(tweak: impl FnOnce(&mut RetryPolicy)) -> RetryPolicy {
    let mut policy = RetryPolicy::default();
    tweak(&mut policy);
    policy
}

#[test]
fn durations_are_capped_at_one_day_naming_the_option() {
    let too_long = [MAX_CALL_DURATION + Duration::from_secs(1), Duration::MAX];
    for value in too_long {
        let cases: Vec<(&str, ClientOptionsBuilder)> = vec![
            ("timeout", b().timeout(value)),
            ("connect_timeout", b().connect_timeout(value)),
            ("base_delay", b().retry(retry(|r| r.base_delay = value))),
            ("max_delay", b().retry(retry(|r| r.max_delay = value))),
            (
                "total_deadline",
                b().retry(retry(|r| r.total_deadline = Some(value))),
            ),
        ];
        for (option, builder) in cases {
            let (got, reason) = config_error(builder.build());
            assert_eq!(got, option, "{value:?}");
            assert!(reason.contains("86400 s"), "{reason}");
        }
    }
    assert_eq!(
        config_error(
            b().retry(retry(|r| r.total_deadline = Some(Duration::ZERO)))
                .build()
        )
        .0,
        "total_deadline"
    );
    // The cap itself, and zero delays (retry at once), are fine.
    let day = MAX_CALL_DURATION;
    let ok = b()
        .timeout(day)
        .connect_timeout(day)
        .retry(RetryPolicy {
            max_retries: 1,
            base_delay: Duration::ZERO,
            max_delay: day,
            total_deadline: Some(day),
        })
        .build()
        .unwrap();
    assert_eq!(ok.retry().total_deadline, Some(day));
}

#[test]
fn header_values_must_be_visible_ascii() {
    let bad_text = [
        "tenant-é",
        "中文",
        " padded",
        "padded ",
        "\tx",
        "a\u{7f}b",
        "",
    ];
    for text in bad_text {
        for (option, result) in [
            ("tenant_id", b().tenant_id(text).build()),
            ("lang", b().lang(text).build()),
            ("sdk_version", b().sdk_version(text).build()),
        ] {
            let (got, reason) = config_error(result);
            assert_eq!(got, option, "{text:?}");
            assert!(reason.contains("visible ASCII"), "{reason}");
        }
        if !text.is_empty() {
            let (got, reason) = config_error(b().header("x-authing-app-id", text).build());
            assert_eq!(got, "headers", "{text:?}");
            assert!(reason.contains("x-authing-app-id"), "{reason}");
        }
        assert_eq!(
            config_error(ClientOptions::builder(text, "s").build()).0,
            "access_key_id",
            "{text:?}"
        );
    }
    // Spaces and tabs inside are fine, and so is an empty extra header.
    let ok = b()
        .tenant_id("tenant a")
        .lang("en-US")
        .sdk_version("my app:1.0\t(beta)")
        .header("x-authing-app-id", "")
        .header("x-gateway", "k e y")
        .build()
        .unwrap();
    assert_eq!(ok.tenant_id(), Some("tenant a"));
}

#[test]
fn a_value_rejected_as_a_header_is_not_quoted() {
    let (_, reason) = config_error(b().header("x-gateway-key", "gatewaykey-é").build());
    assert!(!reason.contains("gatewaykey"), "{reason}");
}

#[test]
fn host_must_not_carry_credentials() {
    for host in [
        "https://user:hunter2@auth.example.com",
        "https://hunter2@auth.example.com",
        "http://user:hunter2@127.0.0.1:1",
    ] {
        let (option, reason) = config_error(b().host(host).build());
        assert_eq!(option, "host");
        assert!(reason.contains("user info"), "{reason}");
        assert!(!reason.contains("hunter2"), "{reason}");
    }
    // An unparsable host is quoted in the error, but without its user info.
    let err = b().host("https://user:hunter2@ho st").build().unwrap_err();
    assert!(!format!("{err} {err:?}").contains("hunter2"), "{err}");
}
