//! Requests go through an explicit proxy, or the one named by `HTTP_PROXY`. The
//! emulator serves absolute-form requests, so it stands in for a forward proxy here:
//! the configured host (a closed loopback port) is never contacted directly.

mod common;

use authing_emulator::NewUser;
use authing_resign::{ClientOptions, ManagementClient};
use common::*;

const USER: &str = "62a0000000000000000000e5";

/// A loopback port nothing listens on.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

fn client_for(emulator: &authing_emulator::Emulator, proxy: Option<String>) -> ManagementClient {
    let s = emulator.settings();
    let mut b = ClientOptions::builder(s.access_key_id, s.access_key_secret)
        .host(closed_port_url())
        .max_retries(0);
    if let Some(proxy) = proxy {
        b = b.proxy(proxy);
    }
    ManagementClient::new(b.build().unwrap()).unwrap()
}

// One test, so the environment variable cannot race another test of this binary.
#[tokio::test]
async fn explicit_and_environment_proxies_are_used() {
    let users = vec![NewUser {
        user_id: Some(USER.into()),
        ..NewUser::default()
    }];
    let emulator = start_with(users, |_| {}).await;

    assert_resigns(&client_for(&emulator, Some(emulator.url())), &[USER]).await;
    assert_eq!(calls(&emulator, BATCH).len(), 1);

    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        std::env::remove_var(var);
    }
    std::env::set_var("HTTP_PROXY", emulator.url());
    let from_env = client_for(&emulator, None);
    std::env::remove_var("HTTP_PROXY");
    assert_resigns(&from_env, &[USER]).await;
    assert_eq!(calls(&emulator, BATCH).len(), 2);

    let direct = client_for(&emulator, None);
    let err = direct.resign_user_batch(&[USER], None).await.unwrap_err();
    assert_eq!(
        err.code(),
        "transport",
        "without a proxy the closed port refuses"
    );
}
