//! The access key secret, management tokens and signatures never appear in `Debug`
//! output, error messages or logs (reqwest, hyper and rustls logs included).

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use authing_emulator::{Fault, FaultKind, NewUser};
use authing_resign::auth::signature;
use authing_resign::{AuthScheme, ClientOptions, Error, ManagementClient, UserIdType};
use common::*;

const USER: &str = "62a0000000000000000000d4";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Recomputes the signature of a journaled signed request from its date, nonce and body.
fn signature_of(entry: &authing_emulator::JournalEntry, secret: &str) -> String {
    let headers = entry.headers.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let params = entry.body.as_object().expect("a JSON body");
    let sts = signature::string_to_sign(
        &entry.method,
        headers,
        &entry.path,
        &signature::canonical_query(params),
    );
    signature::sign(secret, &sts)
}

/// The signatures of every signed request in the journal.
fn signatures(emulator: &authing_emulator::Emulator, secret: &str) -> Vec<String> {
    emulator
        .journal()
        .iter()
        .filter(|e| e.headers.contains_key("x-authing-signature-nonce"))
        .map(|e| signature_of(e, secret))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_tokens_and_signatures_never_leak() {
    let captured = Captured::default();
    let sink = captured.clone();
    tracing_subscriber::fmt()
        .with_env_filter("trace,authing_emulator=off,axum=off,tower=off")
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .init();

    let emulator = start_with(
        vec![NewUser {
            user_id: Some(USER.into()),
            ..NewUser::default()
        }],
        |_| {},
    )
    .await;
    let secret = emulator.settings().access_key_secret;
    let mut debug_texts: Vec<String> = Vec::new();
    let mut signed: Vec<String> = Vec::new();

    for scheme in [AuthScheme::Signature, AuthScheme::ManagementToken] {
        let builder = builder(&emulator)
            .auth(scheme)
            .header("x-authing-extra", "1");
        debug_texts.push(format!("{builder:?}"));
        let options = builder.build().unwrap();
        debug_texts.push(format!("{options:#?}"));
        let client = ManagementClient::new(options).unwrap();
        debug_texts.push(format!("{client:?}"));
        let ok = client
            .resign_user_batch(&[USER], Some(UserIdType::UserId))
            .await
            .unwrap();
        debug_texts.push(format!("{ok:?}"));
        // A retried failure and final failures.
        emulator.add_fault(Fault::once(BATCH, http_page(502, None)));
        client.resign_user_batch(&[USER], None).await.unwrap();
        emulator.add_fault(Fault::once(BATCH, FaultKind::NonJson));
        debug_texts.push(format!(
            "{:?}",
            client.resign_user_batch(&[USER], None).await.unwrap_err()
        ));
        debug_texts.push(format!(
            "{:?}",
            client
                .resign_user_batch(&["000000000000000000000000"], None)
                .await
                .unwrap_err()
        ));
        signed.extend(signatures(&emulator, &secret));
        emulator.reset();
        client.resign_user_batch(&[USER], None).await.unwrap();
    }

    // Every other error class.
    let wrong = ManagementClient::new(
        ClientOptions::builder("emulator-access-key-id", "wrong-secret-value")
            .host(emulator.url())
            .auth(AuthScheme::ManagementToken)
            .build()
            .unwrap(),
    )
    .unwrap();
    let errors = vec![
        wrong.resign_user_batch(&[USER], None).await.unwrap_err(),
        ClientOptions::builder("id", &*secret)
            .host("ftp://x")
            .build()
            .unwrap_err(),
        ManagementClient::new(builder(&emulator).build().unwrap())
            .unwrap()
            .resign_user_batch(&[" "], None)
            .await
            .unwrap_err(),
        Error::Timeout {
            phase: authing_resign::TimeoutPhase::Total,
        },
        Error::Cancelled,
    ];
    for e in &errors {
        debug_texts.push(format!("{e:?} / {e}"));
    }
    emulator.add_fault(Fault::once(BATCH, FaultKind::Drop));
    let transport =
        ManagementClient::new(builder(&emulator).max_retries(0).build().unwrap()).unwrap();
    debug_texts.push(format!(
        "{:?}",
        transport
            .resign_user_batch(&[USER], None)
            .await
            .unwrap_err()
    ));

    signed.extend(signatures(&emulator, &secret));
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("authing call failed"),
        "the per-attempt events were captured"
    );
    assert!(
        signed.len() >= 4,
        "signatures were recomputed from the journal"
    );
    let everything = format!("{}\n{logs}", debug_texts.join("\n"));
    for forbidden in [secret.as_str(), "wrong-secret-value", "eyJ"] {
        assert!(!everything.contains(forbidden), "{forbidden:?} leaked");
    }
    for sig in &signed {
        assert!(!everything.contains(sig.as_str()), "a signature leaked");
    }
}
