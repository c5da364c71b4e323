//! The constructor arguments shared by `ManagementClient` and `AsyncManagementClient`,
//! turned into the core's `ClientOptions` and client.

use authing_resign::{AuthScheme, ClientOptions, ManagementClient, OptionKey};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyInt, PyMapping, PyString};

use crate::args::{seconds, type_name};
use crate::errors::{config_error, to_pyerr};
use crate::response::py_str;

/// Declares [`ClientArgs`], each field with the core option(s) it sets, and
/// [`option_name`] from the same list: Python names an option as the keyword argument
/// that sets it, and an option the constructor does not take by the core's name. The
/// `match` has no `_` arm, so a new core option fails to compile until it is listed.
macro_rules! client_args {
    (
        $( $(#[$doc:meta])* $field:ident: $ty:ty => $($key:ident)|+, )*
        ; not taken: $($other:ident),+ $(,)?
    ) => {
        /// Constructor arguments, as `ManagementClient.__init__` passes them on: a dict
        /// keyed by the Python parameter names (a wrong type is a `TypeError` naming the
        /// field).
        #[derive(FromPyObject)]
        #[pyo3(from_item_all)]
        pub(crate) struct ClientArgs<'py> {
            $( $(#[$doc])* pub $field: $ty, )*
        }

        /// How Python names a core option (in `ConfigError.option` and messages).
        pub(crate) fn option_name(key: OptionKey) -> &'static str {
            match key {
                $( $(OptionKey::$key)|+ => stringify!($field), )*
                $(OptionKey::$other)|+ => key.as_str(),
            }
        }
    };
}

client_args! {
    access_key_id: String => AccessKeyId,
    access_key_secret: String => AccessKeySecret,
    host: Option<String> => Host,
    timeout: Option<f64> => Timeout,
    lang: Option<String> => Lang,
    use_unverified_ssl: bool => AcceptInvalidCerts,
    tenant_id: Option<String> => TenantId,
    /// `None`: the core's default scheme.
    auth: Option<String> => Auth,
    max_retries: i64 => MaxRetries,
    connect_timeout: Option<f64> => ConnectTimeout,
    /// The only TLS input of the constructor, so the core's `tls` failure (the HTTP
    /// client refusing the configured certificates) names it too.
    ca_cert: Option<Bound<'py, PyAny>> => RootCertificatePem | Tls,
    proxy: Option<String> => Proxy,
    headers: Option<Bound<'py, PyAny>> => Headers,
    /// `None`: the core's default cap (1 MiB). Any `int`: one that no `u64` holds is
    /// still a `ConfigError` naming the option, not an `OverflowError`.
    max_response_bytes: Option<Bound<'py, PyInt>> => MaxResponseBytes,
    ; not taken: BaseDelay, MaxDelay, TotalDeadline, SdkVersion, AllowHttp,
}

/// Validates the arguments (core rules in `ClientOptionsBuilder::build`) and builds the
/// core client with its connection pool.
pub(crate) fn build_client(py: Python<'_>, a: ClientArgs<'_>) -> PyResult<ManagementClient> {
    let core = |e: authing_resign::Error| to_pyerr(py, &e);
    let mut b = ClientOptions::builder(a.access_key_id, a.access_key_secret)
        .sdk_version(format!("authing-resign-python:{}", crate::VERSION))
        .accept_invalid_certs(a.use_unverified_ssl);
    if let Some(auth) = a.auth {
        b = b.auth(AuthScheme::parse(&auth).map_err(core)?);
    }
    if let Some(host) = a.host {
        b = b.host(host);
    }
    if let Some(t) = a.timeout {
        b = b.timeout(seconds(t, |r| config_error(py, OptionKey::Timeout, r))?);
    }
    if let Some(t) = a.connect_timeout {
        b = b.connect_timeout(seconds(t, |r| {
            config_error(py, OptionKey::ConnectTimeout, r)
        })?);
    }
    if let Some(lang) = a.lang {
        b = b.lang(lang);
    }
    if let Some(tenant) = a.tenant_id {
        b = b.tenant_id(tenant);
    }
    let retries = u32::try_from(a.max_retries).map_err(|_| {
        config_error(
            py,
            OptionKey::MaxRetries,
            format!("must be between 0 and {}, got {}", u32::MAX, a.max_retries),
        )
    })?;
    b = b.max_retries(retries);
    if let Some(ca) = a.ca_cert {
        b = b.root_certificate_pem(ca_cert_pem(py, &ca)?);
    }
    if let Some(proxy) = a.proxy {
        b = b.proxy(proxy);
    }
    if let Some(headers) = a.headers {
        for (name, value) in header_pairs(&headers)? {
            b = b.header(name, value);
        }
    }
    if let Some(cap) = a.max_response_bytes {
        b = b.max_response_bytes(byte_count(py, &cap)?);
    }
    let options = b.build().map_err(core)?;
    ManagementClient::new(options).map_err(core)
}

/// `max_response_bytes` as the core takes it. The range is the core's rule (checked by
/// `build`); only what no `u64` can hold is refused here, naming the option.
fn byte_count(py: Python<'_>, cap: &Bound<'_, PyInt>) -> PyResult<u64> {
    cap.extract::<u64>().or_else(|_| {
        let negative = cap.lt(0)?;
        let reason = if negative {
            "a number of bytes cannot be negative"
        } else {
            "it does not fit in 64 bits"
        };
        Err(config_error(
            py,
            OptionKey::MaxResponseBytes,
            format!("is {cap}; {reason}"),
        ))
    })
}

/// `ca_cert`: PEM `bytes`, a PEM `str`, or a path (`str` / `os.PathLike`) to a PEM file.
fn ca_cert_pem(py: Python<'_>, ca: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(bytes) = ca.cast::<PyBytes>() {
        return Ok(bytes.as_bytes().to_vec());
    }
    if let Ok(s) = ca.cast::<PyString>() {
        let s = s.to_cow()?;
        if s.trim_start().starts_with("-----BEGIN") {
            return Ok(s.as_bytes().to_vec());
        }
    }
    let path: std::path::PathBuf = py
        .import("os")?
        .call_method1("fspath", (ca,))
        .and_then(|p| p.extract())
        .map_err(|_| {
            PyTypeError::new_err(format!(
                "ca_cert must be PEM bytes, a PEM str or a path, not {}",
                type_name(ca)
            ))
        })?;
    std::fs::read(&path).map_err(|e| {
        config_error(
            py,
            OptionKey::RootCertificatePem,
            format!("cannot read {}: {e}", path.display()),
        )
    })
}

/// `headers`: any mapping of `str` to `str`.
fn header_pairs(headers: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let mapping = headers.cast::<PyMapping>().map_err(|_| {
        PyTypeError::new_err(format!(
            "headers must be a mapping of str to str, not {}",
            type_name(headers)
        ))
    })?;
    let mut pairs = Vec::new();
    for item in mapping.items()?.iter() {
        let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
        let (Ok(k), Ok(v)) = (k.cast::<PyString>(), v.cast::<PyString>()) else {
            return Err(PyTypeError::new_err("headers must map str to str"));
        };
        pairs.push((k.to_cow()?.into_owned(), v.to_cow()?.into_owned()));
    }
    Ok(pairs)
}

/// `repr()` of a client: what identifies it, never the secret.
pub(crate) fn client_repr(class: &str, client: &ManagementClient) -> String {
    let o = client.options();
    format!(
        "{class}(access_key_id={}, host={}, auth={})",
        py_str(o.access_key_id()),
        py_str(o.host()),
        py_str(o.auth().as_str())
    )
}
