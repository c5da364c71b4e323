//! The canonicalization against vectors produced by the official Node SDK
//! (tests/data/signature-vectors.json, made by tests/conformance/node/make-signature-vectors.js).

use std::collections::BTreeMap;

use authing_emulator::signature;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Vector {
    description: String,
    method: String,
    path: String,
    headers: BTreeMap<String, String>,
    body: Option<String>,
    query: Option<String>,
    secret: String,
    string_to_sign: String,
    signature: String,
}

fn vectors() -> Vec<Vector> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../data/signature-vectors.json"
    );
    let text = std::fs::read_to_string(path).expect("signature vectors present");
    serde_json::from_str(&text).expect("signature vectors parse")
}

#[test]
fn every_official_sdk_vector_canonicalizes_and_signs_identically() {
    let vectors = vectors();
    assert!(
        vectors.len() >= 10,
        "expected the generated vectors, got {}",
        vectors.len()
    );
    for v in &vectors {
        let params = match (&v.body, &v.query) {
            (Some(body), None) => signature::body_params(body).expect("object body"),
            (None, Some(query)) => signature::query_params(query),
            _ => panic!("{}: exactly one of body and query", v.description),
        };
        let headers = v.headers.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        let to_sign = signature::string_to_sign(&v.method, headers, &v.path, &params);
        assert_eq!(to_sign, v.string_to_sign, "{}", v.description);
        assert_eq!(
            signature::sign(&v.secret, &to_sign),
            v.signature,
            "{}",
            v.description
        );
        assert!(
            signature::verify(&v.secret, &to_sign, &v.signature),
            "{}",
            v.description
        );
    }
}

#[test]
fn a_changed_byte_breaks_every_vector() {
    for v in vectors() {
        let tampered = format!("{} ", v.string_to_sign);
        assert!(
            !signature::verify(&v.secret, &tampered, &v.signature),
            "{}",
            v.description
        );
    }
}
