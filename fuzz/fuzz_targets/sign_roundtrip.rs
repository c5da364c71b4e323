//! Signing round trip: arbitrary key, secret, lang, tenant, extra headers, host path
//! prefix and ids go through the core's request preparation. Whatever the core accepts,
//! the emulator's independent verifier must accept, and the body must hold exactly the
//! ids given (same strings, same order, nothing added).
#![no_main]

use arbitrary::Arbitrary;
use authing_emulator::signature;
use authing_resign::{fuzzing, ClientOptions, UserIdType};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[derive(Arbitrary, Debug)]
struct Input {
    key_id: String,
    secret: String,
    lang: Option<String>,
    tenant: Option<String>,
    headers: Vec<(String, String)>,
    prefix: Option<String>,
    ids: Vec<String>,
    id_type: Option<u8>,
    single: bool,
}

fuzz_target!(|input: Input| {
    let mut host = String::from("http://127.0.0.1:3000");
    if let Some(prefix) = &input.prefix {
        host.push('/');
        host.push_str(prefix);
    }
    let mut builder = ClientOptions::builder(input.key_id.clone(), input.secret.clone()).host(host);
    if let Some(lang) = &input.lang {
        builder = builder.lang(lang.clone());
    }
    if let Some(tenant) = &input.tenant {
        builder = builder.tenant_id(tenant.clone());
    }
    for (name, value) in &input.headers {
        builder = builder.header(name.clone(), value.clone());
    }
    let Ok(options) = builder.build() else { return };
    let id_type = input
        .id_type
        .map(|i| UserIdType::ALL[usize::from(i) % UserIdType::ALL.len()]);
    let prepared = if input.single {
        let Some(id) = input.ids.first() else { return };
        fuzzing::signed_single(&options, id, id_type)
    } else {
        fuzzing::signed_batch(&options, &input.ids, id_type)
    };
    let Ok(request) = prepared else { return };

    // The body holds exactly what was given.
    let body: Value = serde_json::from_slice(&request.body).expect("the body is JSON");
    let fields = body.as_object().expect("the body is an object");
    if input.single {
        assert_eq!(fields["userId"], Value::from(input.ids[0].clone()));
    } else {
        assert_eq!(fields["userIds"], Value::from(input.ids.clone()));
    }
    assert_eq!(
        fields.get("userIdType").and_then(Value::as_str),
        id_type.map(UserIdType::as_str)
    );
    assert_eq!(fields.len(), 1 + usize::from(id_type.is_some()));

    // Each header once, and lang and tenant as given.
    let header = |name: &str| -> Vec<&str> {
        request
            .headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    for (name, _) in &request.headers {
        assert_eq!(header(name).len(), 1, "{name} sent twice");
    }
    let overridden = |name: &str| {
        input
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    };
    if let (Some(lang), false) = (&input.lang, overridden("x-authing-lang")) {
        assert_eq!(header("x-authing-lang"), [lang.as_str()]);
    }
    if let (Some(tenant), false) = (&input.tenant, overridden("x-authing-tenant-id")) {
        assert_eq!(header("x-authing-tenant-id"), [tenant.as_str()]);
    }

    // The emulator's verifier, fed what goes on the wire, accepts the signature.
    let text = std::str::from_utf8(&request.body).expect("the body is UTF-8");
    let params = signature::body_params(text).expect("the emulator reads the body as an object");
    let authorization = header("authorization");
    let credential = authorization[0]
        .strip_prefix("authing ")
        .expect("signature scheme");
    let (key_id, given) = credential.split_once(':').expect("key id and signature");
    assert_eq!(key_id, input.key_id);
    let pairs = request
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()));
    let to_sign = signature::string_to_sign("POST", pairs, &request.path, &params);
    assert!(
        signature::verify(&input.secret, &to_sign, given),
        "the emulator refuses a signature the core made:\n{to_sign}"
    );
});
