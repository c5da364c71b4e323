//! TLS verification: a self-signed HTTPS emulator is refused by default, and accepted
//! with its certificate as a custom root or with `accept_invalid_certs`.

mod common;

use authing_emulator::{Emulator, NewUser, TlsConfig};
use authing_resign::AuthScheme;
use common::*;

const USER: &str = "62a0000000000000000000c3";

async fn https_emulator() -> (Emulator, String) {
    let certified =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .expect("a self-signed certificate");
    let cert_pem = certified.cert.pem();
    let tls = TlsConfig {
        cert_pem: cert_pem.clone(),
        key_pem: certified.signing_key.serialize_pem(),
    };
    let users = vec![NewUser {
        user_id: Some(USER.into()),
        ..NewUser::default()
    }];
    let emulator = start_with(users, |s| s.tls = Some(tls)).await;
    assert!(
        emulator.url().starts_with("https://127.0.0.1:"),
        "{}",
        emulator.url()
    );
    (emulator, cert_pem)
}

#[tokio::test]
async fn self_signed_server_is_refused_by_default_without_retries() {
    for auth in [AuthScheme::Signature, AuthScheme::ManagementToken] {
        refused_once(auth).await;
    }
}

/// Under either scheme (the token scheme's first request is the token fetch): one
/// connection, a transport error naming the certificate, no retry.
async fn refused_once(auth: AuthScheme) {
    let (emulator, _) = https_emulator().await;
    let err = client(&emulator, |b| b.auth(auth))
        .resign_user_batch(&[USER], None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "transport", "{err:?}");
    assert!(
        err.to_string().to_lowercase().contains("certificate"),
        "{err}"
    );
    assert!(emulator.journal().is_empty());
    assert_eq!(
        emulator.stats().connections,
        1,
        "a refused certificate is not retried ({auth:?})"
    );
}

#[tokio::test]
async fn custom_root_certificate_is_trusted() {
    let (emulator, cert_pem) = https_emulator().await;
    let client = client(&emulator, |b| b.root_certificate_pem(cert_pem));
    assert_resigns(&client, &[USER]).await;
}

#[tokio::test]
async fn accept_invalid_certs_accepts_anything() {
    let (emulator, _) = https_emulator().await;
    let client = client(&emulator, |b| b.accept_invalid_certs(true));
    assert_resigns(&client, &[USER]).await;
}
