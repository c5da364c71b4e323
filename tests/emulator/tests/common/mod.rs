//! Test helpers: an HTTP client that signs like the official Node SDK, with knobs to
//! break each part of the signature on purpose.
#![allow(dead_code)]

use std::collections::BTreeMap;

use authing_emulator::{signature, Emulator, NewUser, Settings, User};
use serde_json::Value;

/// One answer: HTTP status, headers, body text.
pub struct Resp {
    pub http: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
    pub fn status_code(&self) -> u64 {
        self.json()["statusCode"].as_u64().expect("statusCode")
    }
    pub fn api_code(&self) -> Option<u64> {
        self.json()["apiCode"].as_u64()
    }
    pub fn message(&self) -> String {
        self.json()["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// How to sign one request; `Default` signs correctly with the default credentials.
#[derive(Clone)]
pub struct Sign {
    pub key_id: String,
    pub secret: String,
    pub method_header: Option<String>,
    pub version_header: Option<String>,
    /// `None` = omit the `date` header.
    pub date: Option<String>,
    pub x_authing_date: Option<String>,
    pub nonce: Option<String>,
    pub lang: Option<String>,
    /// Replaces the computed signature.
    pub signature: Option<String>,
}

impl Default for Sign {
    fn default() -> Self {
        let s = Settings::default();
        Sign {
            key_id: s.access_key_id,
            secret: s.access_key_secret,
            method_header: Some("HMAC-SHA1".into()),
            version_header: Some("1.0".into()),
            date: Some(httpdate::fmt_http_date(std::time::SystemTime::now())),
            x_authing_date: None,
            nonce: Some(new_nonce()),
            lang: Some("zh-CN".into()),
            signature: None,
        }
    }
}

pub fn new_nonce() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
}

impl Client {
    pub fn new(base: &str) -> Client {
        Client {
            base: base.to_owned(),
            http: reqwest::Client::new(),
        }
    }

    pub fn for_emulator(emulator: &Emulator) -> Client {
        Client::new(&emulator.url())
    }

    /// A client for `base` that verifies TLS and trusts only the certificate `cert_pem`.
    pub fn trusting(base: &str, cert_pem: &str) -> Client {
        let cert = reqwest::Certificate::from_pem(cert_pem.as_bytes()).unwrap();
        Client {
            base: base.to_owned(),
            http: reqwest::Client::builder()
                .tls_certs_only([cert])
                .build()
                .unwrap(),
        }
    }

    fn signed_headers(
        &self,
        method: &str,
        path: &str,
        params: &BTreeMap<String, String>,
        sign: &Sign,
    ) -> Vec<(String, String)> {
        let mut headers: Vec<(String, String)> = vec![(
            "x-authing-sdk-version".into(),
            "authing-node-sdk:4.0.1".into(),
        )];
        let mut push = |name: &str, value: &Option<String>| {
            if let Some(v) = value {
                headers.push((name.into(), v.clone()));
            }
        };
        push("x-authing-signature-method", &sign.method_header);
        push("x-authing-signature-version", &sign.version_header);
        push("date", &sign.date);
        push("x-authing-date", &sign.x_authing_date);
        push("x-authing-signature-nonce", &sign.nonce);
        push("x-authing-lang", &sign.lang);
        let to_sign = signature::string_to_sign(
            method,
            headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            path,
            params,
        );
        let sig = sign
            .signature
            .clone()
            .unwrap_or_else(|| signature::sign(&sign.secret, &to_sign));
        headers.push((
            "authorization".into(),
            format!("authing {}:{sig}", sign.key_id),
        ));
        headers
    }

    /// POSTs `body` (sent exactly as given) signed per `sign`.
    pub async fn post_signed_raw(&self, path: &str, body: &str, sign: &Sign) -> Resp {
        send(self.signed_post(path, body, sign)).await
    }

    /// A signed POST of `body`, not yet sent.
    pub fn signed_post(&self, path: &str, body: &str, sign: &Sign) -> reqwest::RequestBuilder {
        let params = signature::body_params(body).unwrap_or_default();
        let headers = self.signed_headers("POST", path, &params, sign);
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body.to_owned());
        for (k, v) in headers {
            req = req.header(k, v);
        }
        req
    }

    /// An unsigned JSON POST of `body`, not yet sent: for faults that answer before auth.
    pub fn unsigned_post(&self, path: &str, body: &Value) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body.to_string())
    }

    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        self.post_signed_raw(path, &body.to_string(), &Sign::default())
            .await
    }

    /// A correctly signed `resign-user-batch` call for `ids` (default id type).
    pub async fn resign(&self, ids: &[&str]) -> Resp {
        let body = serde_json::json!({ "userIds": ids });
        self.post("/api/v3/resign-user-batch", &body).await
    }

    /// A correctly signed `get-user-batch` call with this query string.
    pub async fn get_user_batch(&self, query: &str) -> Resp {
        self.get("/api/v3/get-user-batch", query).await
    }

    /// A correctly signed `get-user` call with this query string.
    pub async fn get_user(&self, query: &str) -> Resp {
        self.get("/api/v3/get-user", query).await
    }

    pub async fn post_with(&self, path: &str, body: &Value, sign: &Sign) -> Resp {
        self.post_signed_raw(path, &body.to_string(), sign).await
    }

    /// GETs `path?query` signed per `sign`.
    pub async fn get_with(&self, path: &str, query: &str, sign: &Sign) -> Resp {
        let params = signature::query_params(query);
        let headers = self.signed_headers("GET", path, &params, sign);
        let url = if query.is_empty() {
            format!("{}{path}", self.base)
        } else {
            format!("{}{path}?{query}", self.base)
        };
        let mut req = self.http.get(url);
        for (k, v) in headers {
            req = req.header(k, v);
        }
        send(req).await
    }

    pub async fn get(&self, path: &str, query: &str) -> Resp {
        self.get_with(path, query, &Sign::default()).await
    }

    /// A request with arbitrary headers and no signing.
    pub async fn raw(
        &self,
        method: reqwest::Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Resp {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.body(b);
        }
        send(req).await
    }

    /// An unsigned batch POST of `{"userIds":["a"]}` with exactly these headers.
    pub async fn batch_with_headers(&self, headers: &[(&str, &str)]) -> Resp {
        let body = br#"{"userIds":["a"]}"#.to_vec();
        self.raw(
            reqwest::Method::POST,
            "/api/v3/resign-user-batch",
            headers,
            Some(body),
        )
        .await
    }

    /// Exchanges the default key pair for a management token.
    pub async fn token(&self) -> String {
        let s = Settings::default();
        let resp = self
            .raw(
                reqwest::Method::POST,
                "/api/v3/get-management-token",
                &[("content-type", "application/json")],
                Some(serde_json::json!({"accessKeyId": s.access_key_id, "accessKeySecret": s.access_key_secret}).to_string().into_bytes()),
            )
            .await;
        assert_eq!(resp.status_code(), 200, "{}", resp.text);
        resp.json()["data"]["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The control API (no auth), JSON in and out.
    pub async fn control(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}/__emulator/{path}", self.base));
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        let resp = send(req).await;
        let json = serde_json::from_str(&resp.text).unwrap_or(Value::Null);
        (resp.http, json)
    }
}

pub async fn send(req: reqwest::RequestBuilder) -> Resp {
    let resp = req.send().await.expect("request reaches the emulator");
    let http = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body");
    Resp {
        http,
        headers,
        text,
    }
}

pub fn user(username: &str) -> NewUser {
    NewUser {
        username: Some(username.into()),
        email: Some(format!("{username}@example.com")),
        ..NewUser::default()
    }
}

/// An emulator with `n` users named `user0..`, and a client for it.
pub async fn emulator_with_users(n: usize) -> (Emulator, Client, Vec<User>) {
    let emulator = Emulator::start(Settings::default())
        .await
        .expect("emulator starts");
    let users = emulator.seed_users((0..n).map(|i| user(&format!("user{i}"))).collect());
    let client = Client::for_emulator(&emulator);
    (emulator, client, users)
}
