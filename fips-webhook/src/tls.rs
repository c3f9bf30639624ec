//! TLS on rustls with the aws-lc-rs provider (its FIPS provider with the `fips` feature),
//! and the serving certificate read again from disk when it changes: cert-manager rotates it
//! in place, and a handshake always gets the newest pair that loaded.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, RwLock},
};

use rustls::{
    crypto::CryptoProvider,
    pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer},
    server::{ClientHello, ResolvesServerCert},
    sign::CertifiedKey,
    ServerConfig,
};

/// The crypto provider: aws-lc-rs, in its FIPS mode with the `fips` feature.
pub fn provider() -> Arc<CryptoProvider> {
    #[cfg(feature = "fips")]
    let provider = rustls::crypto::default_fips_provider();
    #[cfg(not(feature = "fips"))]
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    Arc::new(provider)
}

/// The serving certificate and key, swapped on reload.
#[derive(Debug)]
pub struct Certificate {
    cert: PathBuf,
    key: PathBuf,
    provider: Arc<CryptoProvider>,
    current: RwLock<Arc<CertifiedKey>>,
}

impl Certificate {
    pub fn load(cert: &Path, key: &Path, provider: Arc<CryptoProvider>) -> Result<Self, String> {
        let current = RwLock::new(Arc::new(read_pair(cert, key, &provider)?));
        Ok(Certificate {
            cert: cert.to_owned(),
            key: key.to_owned(),
            provider,
            current,
        })
    }

    /// The two files watched.
    pub fn paths(&self) -> [&Path; 2] {
        [&self.cert, &self.key]
    }

    /// Reads the pair again; on error the old pair stays.
    pub fn reload(&self) -> Result<(), String> {
        let pair = read_pair(&self.cert, &self.key, &self.provider)?;
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(pair);
        Ok(())
    }
}

impl ResolvesServerCert for Certificate {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(
            self.current
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
        )
    }
}

fn read_pair(cert: &Path, key: &Path, provider: &CryptoProvider) -> Result<CertifiedKey, String> {
    let certs = CertificateDer::pem_file_iter(cert)
        .and_then(|i| i.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("--tls-cert {}: {e}", cert.display()))?;
    if certs.is_empty() {
        return Err(format!(
            "--tls-cert {}: no PEM certificate in the file",
            cert.display()
        ));
    }
    let key_der = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| format!("--tls-key {}: {e}", key.display()))?;
    let pair = CertifiedKey::from_der(certs, key_der, provider)
        .map_err(|e| format!("--tls-cert/--tls-key: {e}"))?;
    Ok(pair)
}

/// The server configuration: HTTP/1.1, the reloading certificate.
pub fn server_config(
    certificate: Arc<Certificate>,
    provider: Arc<CryptoProvider>,
) -> Result<ServerConfig, String> {
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS configuration: {e}"))?
        .with_no_client_auth()
        .with_cert_resolver(certificate);
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}
