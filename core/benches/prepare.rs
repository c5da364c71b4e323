//! Preparing one 50-id `resign-user-batch` request: validate, serialize, sign.
//! Target: under 20 µs. Run with `cargo bench -p authing-resign --bench prepare`.

use std::hint::black_box;
use std::time::SystemTime;

use authing_resign::auth::signature;
use authing_resign::{PreparedBody, UserIdType};
use criterion::{criterion_group, criterion_main, Criterion};

fn prepare(c: &mut Criterion) {
    let ids: Vec<String> = (0..50)
        .map(|i| format!("62a1b2c3d4e5f607182{i:05}"))
        .collect();
    let headers = [
        ("accept", "application/json"),
        ("content-type", "application/json"),
        ("x-authing-lang", "zh-CN"),
        ("x-authing-sdk-version", "authing-resign-rust:0.1.0"),
    ];
    c.bench_function("prepare 50 ids (validate + serialize + sign)", |b| {
        b.iter(|| {
            let body = PreparedBody::resign_user_batch(black_box(&ids), Some(UserIdType::UserId))
                .expect("valid ids");
            let signed = signature::sign_post(
                "62a0000000000000000000aa",
                "test-secret-0123456789abcdef",
                headers,
                body.path(),
                body.canonical_query(),
                httpdate::fmt_http_date(SystemTime::now()),
                signature::new_nonce(),
            );
            black_box((body, signed))
        })
    });
    c.bench_function("validate 50 ids", |b| {
        b.iter(|| authing_resign::request::validate_batch(black_box(&ids), UserIdType::UserId))
    });
}

criterion_group!(benches, prepare);
criterion_main!(benches);
