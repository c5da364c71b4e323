//! HTTPS: a rustls acceptor (aws-lc-rs, the tree's one crypto provider) from PEM text.

use std::io;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

use crate::settings::TlsConfig;

fn invalid(what: &str) -> io::Error {
    // The PEM parser's error is not echoed: it could quote key material.
    io::Error::new(io::ErrorKind::InvalidInput, format!("TLS: {what}"))
}

pub(crate) fn acceptor(config: &TlsConfig) -> io::Result<TlsAcceptor> {
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(config.cert_pem.as_bytes())
            .collect::<Result<_, _>>()
            .map_err(|_| invalid("the certificate PEM cannot be parsed"))?;
    if certs.is_empty() {
        return Err(invalid("the certificate PEM holds no certificate"));
    }
    let key = PrivateKeyDer::from_pem_slice(config.key_pem.as_bytes())
        .map_err(|_| invalid("the private key PEM holds no usable key"))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut server = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|_| invalid("no usable protocol versions"))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|_| invalid("the key does not match the certificate or is unsupported"))?;
    // The server speaks HTTP/1.1 only.
    server.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(server)))
}
