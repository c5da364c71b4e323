//! Option checks at build time, and the secret never showing in `Debug`.

use std::time::Duration;

use authing_resign::{AuthScheme, ClientOptions, Error, ManagementClient};

const SECRET: &str = "s3cr3t-value-that-must-not-leak";

fn config_option(result: authing_resign::Result<ClientOptions>) -> String {
    match result {
        Err(Error::Config { option, .. }) => option.to_string(),
        other => panic!("expected a Config error, got {other:?}"),
    }
}

#[test]
fn defaults() {
    let o = ClientOptions::builder("id", SECRET).build().unwrap();
    assert_eq!(o.host(), "https://api.authing.cn");
    assert_eq!(o.auth(), AuthScheme::Signature);
    assert_eq!(o.timeout(), Duration::from_secs(10));
    assert_eq!(o.retry().max_retries, 3);
    assert_eq!(
        o.sdk_version(),
        format!("authing-resign-rust:{}", authing_resign::VERSION)
    );
}

#[test]
fn host_is_normalized_and_prefix_kept() {
    let o = ClientOptions::builder("id", SECRET)
        .host("https://auth.example.com/prefix/")
        .build()
        .unwrap();
    assert_eq!(o.host(), "https://auth.example.com/prefix");
    let o = ClientOptions::builder("id", SECRET)
        .host("https://core.authing.cn/")
        .build()
        .unwrap();
    assert_eq!(o.host(), "https://core.authing.cn");
}

#[test]
fn bad_options_are_config_errors() {
    let b = || ClientOptions::builder("id", SECRET);
    assert_eq!(
        config_option(ClientOptions::builder(" ", SECRET).build()),
        "access_key_id"
    );
    assert_eq!(
        config_option(ClientOptions::builder("id", "").build()),
        "access_key_secret"
    );
    assert_eq!(
        config_option(ClientOptions::builder("a:b", SECRET).build()),
        "access_key_id"
    );
    assert_eq!(config_option(b().host("not a url").build()), "host");
    assert_eq!(config_option(b().host("ftp://example.com").build()), "host");
    assert_eq!(
        config_option(b().host("https://example.com/?q=1").build()),
        "host"
    );
    assert_eq!(
        config_option(b().timeout(Duration::ZERO).build()),
        "timeout"
    );
    assert_eq!(
        config_option(b().connect_timeout(Duration::ZERO).build()),
        "connect_timeout"
    );
    assert_eq!(config_option(b().lang("").build()), "lang");
    assert_eq!(config_option(b().tenant_id("a\nb").build()), "tenant_id");
    assert_eq!(
        config_option(b().header("bad name", "v").build()),
        "headers"
    );
    assert_eq!(
        config_option(b().header("Authorization", "x").build()),
        "headers"
    );
    assert_eq!(
        config_option(b().header("x-authing-signature-nonce", "x").build()),
        "headers"
    );
    assert_eq!(config_option(b().proxy("::").build()), "proxy");
    assert_eq!(config_option(b().sdk_version("").build()), "sdk_version");
}

#[test]
fn plain_http_only_to_loopback_unless_allowed() {
    let b = || ClientOptions::builder("id", SECRET);
    for ok in [
        "http://127.0.0.1:8080",
        "http://localhost",
        "http://[::1]:1",
    ] {
        assert!(b().host(ok).build().is_ok(), "{ok}");
    }
    let err = b().host("http://api.authing.cn").build().unwrap_err();
    assert!(err.to_string().contains("allow_http"), "{err}");
    assert!(b()
        .host("http://api.authing.cn")
        .allow_http(true)
        .build()
        .is_ok());
}

#[test]
fn bad_root_certificate_is_a_config_error() {
    let o = ClientOptions::builder("id", SECRET)
        .root_certificate_pem("not pem")
        .build()
        .unwrap();
    match ManagementClient::new(o) {
        Err(Error::Config { option, .. }) => assert_eq!(option, "root_certificate_pem"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn debug_never_shows_the_secret() {
    let b = ClientOptions::builder("id", SECRET).header("x-authing-extra", "1");
    assert!(!format!("{b:?}").contains(SECRET));
    let o = b.build().unwrap();
    assert!(!format!("{o:?}").contains(SECRET));
    assert!(!format!("{o:#?}").contains(SECRET));
    let client = ManagementClient::new(o).unwrap();
    assert!(!format!("{client:?}").contains(SECRET));
}

#[test]
fn debug_hides_header_values_and_proxy_credentials() {
    let b = ClientOptions::builder("id", SECRET)
        .host("https://user:hostpass@auth.example.com")
        .header("x-gateway-key", "gw-key-value")
        .proxy("http://proxyuser:proxypass@127.0.0.1:3128");
    let text = format!("{b:?} {b:#?}");
    for leak in ["hostpass", "gw-key-value", "proxyuser", "proxypass", SECRET] {
        assert!(!text.contains(leak), "{leak:?} in {text}");
    }
    assert!(text.contains("x-gateway-key"), "header names stay: {text}");
    assert!(
        text.contains("127.0.0.1:3128"),
        "the proxy address stays: {text}"
    );

    let o = b.host("https://auth.example.com").build().unwrap();
    let client = ManagementClient::new(o.clone()).unwrap();
    let text = format!("{o:?} {o:#?} {client:?}");
    for leak in ["gw-key-value", "proxyuser", "proxypass", SECRET] {
        assert!(!text.contains(leak), "{leak:?} in {text}");
    }
    assert!(text.contains("https://auth.example.com"), "{text}");
}

#[test]
fn auth_scheme_parses() {
    assert_eq!(
        AuthScheme::parse("Token").unwrap(),
        AuthScheme::ManagementToken
    );
    assert_eq!(
        AuthScheme::parse("signature").unwrap(),
        AuthScheme::Signature
    );
    assert_eq!(AuthScheme::parse("basic").unwrap_err().code(), "config");
}

#[test]
fn client_is_cheap_to_share_across_threads() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<ManagementClient>();
    shareable::<ClientOptions>();
    shareable::<Error>();
}
