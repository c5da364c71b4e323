//! Building the one pooled `reqwest::Client` of a [`crate::ManagementClient`] from its
//! TLS, proxy and timeout options.

use crate::config::ClientOptions;
use crate::error::{Error, OptionKey, Result};

pub(crate) fn build(options: &ClientOptions) -> Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        // No reqwest-level total timeout: the retry loop bounds each attempt itself,
        // so it can tell an attempt timeout from the overall deadline.
        .connect_timeout(options.connect_timeout.unwrap_or(options.timeout))
        // Following a redirect would re-send the signed body or the access key secret
        // to wherever `Location` points, and could leave https; a 3xx is an error.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(options.sdk_version.as_str())
        .tls_danger_accept_invalid_certs(options.accept_invalid_certs);
    for pem in &options.root_certificates_pem {
        let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
            Error::config(
                OptionKey::RootCertificatePem,
                format!("not a PEM certificate: {}", super::error_chain(&e)),
            )
        })?;
        if certs.is_empty() {
            return Err(Error::config(
                OptionKey::RootCertificatePem,
                "holds no PEM certificate",
            ));
        }
        builder = builder.tls_certs_merge(certs);
    }
    // Without an explicit proxy reqwest reads HTTP(S)_PROXY / ALL_PROXY / NO_PROXY.
    if let Some(proxy) = &options.proxy {
        let proxy = reqwest::Proxy::all(proxy).map_err(|e| {
            Error::config(
                OptionKey::Proxy,
                format!("unusable proxy URL: {}", super::error_chain(&e)),
            )
        })?;
        builder = builder.proxy(proxy);
    }
    builder.build().map_err(|e| {
        Error::config(
            OptionKey::Tls,
            format!("cannot set up the HTTP client: {}", super::error_chain(&e)),
        )
    })
}
