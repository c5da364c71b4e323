//! HTTPS with a certificate from the settings (rustls, aws-lc-rs provider).

mod common;

use authing_emulator::{Emulator, Settings, TlsConfig};
use common::Client;

fn self_signed() -> (String, String) {
    let certified =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .unwrap();
    (certified.cert.pem(), certified.signing_key.serialize_pem())
}

#[tokio::test]
async fn serves_https_that_a_verifying_client_accepts() {
    let (cert_pem, key_pem) = self_signed();
    let settings = Settings {
        tls: Some(TlsConfig {
            cert_pem: cert_pem.clone(),
            key_pem,
        }),
        ..Settings::default()
    };
    let emulator = Emulator::start(settings).await.unwrap();
    assert!(emulator.url().starts_with("https://127.0.0.1:"));
    let users = emulator.seed_users(vec![common::user("tls")]);
    let client = Client::trusting(&emulator.url(), &cert_pem);
    let resp = client.resign(&[&users[0].user_id]).await;
    assert_eq!(resp.status_code(), 200, "{}", resp.text);
    assert_eq!(emulator.users()[0].status, "Resigned");

    // A client that does not trust the certificate fails the handshake, and the server lives on.
    let untrusting = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(self_signed().0.as_bytes()).unwrap()])
        .build()
        .unwrap();
    assert!(untrusting
        .get(format!("{}/__emulator/health", emulator.url()))
        .send()
        .await
        .is_err());
    let (status, _) = client.control(reqwest::Method::GET, "health", None).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn bad_pem_is_a_clear_error_without_key_material() {
    let (cert_pem, _) = self_signed();
    let settings = Settings {
        tls: Some(TlsConfig {
            cert_pem,
            key_pem: "SECRET-KEY-TEXT".into(),
        }),
        ..Settings::default()
    };
    let err = Emulator::start(settings).await.expect_err("no key");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("private key"), "{err}");
    assert!(!err.to_string().contains("SECRET-KEY-TEXT"));
    let settings = Settings {
        tls: Some(TlsConfig {
            cert_pem: "nothing".into(),
            key_pem: "nothing".into(),
        }),
        ..Settings::default()
    };
    assert!(Emulator::start(settings)
        .await
        .unwrap_err()
        .to_string()
        .contains("certificate"));
}
