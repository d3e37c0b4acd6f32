//! HTTPS for the transnational exchange (docs/transnational.md §7): the exchange's own listener,
//! serving [`crate::exchange::exchange_router`] over TLS 1.3 only, and the client that delivers
//! envelopes to peers ([`HttpsPoster`]), trusting the CA bundle the operator configured. rustls
//! with the ring provider; certificates and keys are PEM files.
//!
//! Plain HTTP is served and spoken only to loopback addresses, for tests (a directory entry
//! allows an `http` endpoint only there).

use axum::Router;
use haven_app::exchange_transport::{ENVELOPE_CONTENT_TYPE, EnvelopePoster, PostResult};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::{TlsAcceptor, TlsConnector};

/// How long a TLS handshake, a connection or a whole delivery may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(60);
/// The most of a peer's answer read (a receipt or an error is small).
const MAX_ANSWER_BYTES: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: rustls::pki_types::pem::Error },
    #[error("{path} holds no certificate")]
    NoCertificate { path: PathBuf },
    #[error("the TLS configuration is refused: {0}")]
    Rustls(#[from] rustls::Error),
}

#[expect(
    deprecated,
    reason = "ring is the provider that builds without cmake; its post-quantum key exchange is not needed here"
)]
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsSetupError> {
    let read = |source| TlsSetupError::Read { path: path.to_owned(), source };
    let certs = CertificateDer::pem_file_iter(path).map_err(read)?.collect::<Result<Vec<_>, _>>().map_err(read)?;
    if certs.is_empty() {
        return Err(TlsSetupError::NoCertificate { path: path.to_owned() });
    }
    Ok(certs)
}

/// The server side: the certificate chain and private key (PEM files), TLS 1.3 only.
pub fn server_config(certificate: &Path, private_key: &Path) -> Result<Arc<rustls::ServerConfig>, TlsSetupError> {
    let certs = certificates(certificate)?;
    let key = PrivateKeyDer::from_pem_file(private_key)
        .map_err(|source| TlsSetupError::Read { path: private_key.to_owned(), source })?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_no_client_auth()
        .with_single_cert(certs, key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The client side: trusts the certificates of the CA bundle (a PEM file), TLS 1.3 only.
pub fn client_config(ca_bundle: &Path) -> Result<Arc<rustls::ClientConfig>, TlsSetupError> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in certificates(ca_bundle)? {
        roots.add(cert)?;
    }
    let mut config = rustls::ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Serves the exchange's routes on `listener` until `stop` turns true: over TLS with `tls`, or
/// plain HTTP without (only when the listener is on a loopback address).
pub async fn serve_exchange(
    listener: TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    router: Router,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> std::io::Result<()> {
    let local = listener.local_addr()?;
    if tls.is_none() && !local.ip().is_loopback() {
        return Err(std::io::Error::other("the exchange is served without TLS only on a loopback address"));
    }
    let acceptor = tls.map(TlsAcceptor::from);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!(error = %e, "the exchange listener could not accept a connection");
                    continue;
                }
            },
            _ = stop.changed() => return Ok(()),
        };
        let router = router.clone();
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            match acceptor {
                Some(acceptor) => match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                    Ok(Ok(stream)) => serve_connection(stream, router, peer).await,
                    Ok(Err(e)) => tracing::info!(%peer, error = %e, "exchange TLS handshake failed"),
                    Err(_) => tracing::info!(%peer, "exchange TLS handshake timed out"),
                },
                None => serve_connection(stream, router, peer).await,
            }
        });
    }
}

async fn serve_connection<S>(stream: S, router: Router, peer: SocketAddr)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = TowerToHyperService::new(router);
    if let Err(e) = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await {
        tracing::debug!(%peer, error = %e, "exchange connection ended with an error");
    }
}

/// Delivers envelopes with HTTP/1.1 POST over TLS 1.3, one connection per delivery.
#[derive(Clone)]
pub struct HttpsPoster {
    connector: TlsConnector,
}

impl HttpsPoster {
    pub fn new(config: Arc<rustls::ClientConfig>) -> HttpsPoster {
        HttpsPoster { connector: TlsConnector::from(config) }
    }

    async fn deliver(&self, url: &str, envelope: Vec<u8>) -> Result<PostResult, String> {
        let uri: hyper::Uri = url.parse().map_err(|e| format!("bad URL: {e}"))?;
        let host = uri.host().ok_or("the URL has no host")?.trim_start_matches('[').trim_end_matches(']').to_owned();
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err("the URL is neither https nor http".into()),
        };
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        let stream = TcpStream::connect((host.as_str(), port)).await.map_err(|e| format!("connect: {e}"))?;
        if !https {
            let loopback = stream.peer_addr().map(|a| a.ip().is_loopback()).unwrap_or(false);
            if !loopback {
                return Err("plain http only to a loopback address".into());
            }
            return post(stream, &uri, &host, envelope).await;
        }
        let name = ServerName::try_from(host.clone()).map_err(|e| format!("bad host name: {e}"))?;
        let stream = tokio::time::timeout(HANDSHAKE_TIMEOUT, self.connector.connect(name, stream))
            .await
            .map_err(|_| "TLS handshake timed out".to_owned())?
            .map_err(|e| format!("TLS: {e}"))?;
        post(stream, &uri, &host, envelope).await
    }
}

async fn post<S>(stream: S, uri: &hyper::Uri, host: &str, envelope: Vec<u8>) -> Result<PostResult, String>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| format!("HTTP: {e}"))?;
    let driving = tokio::spawn(async move {
        let _ = connection.await;
    });
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let authority = uri.authority().map_or(host, |a| a.as_str());
    let request = hyper::Request::post(path)
        .header(hyper::header::HOST, authority)
        .header(hyper::header::CONTENT_TYPE, ENVELOPE_CONTENT_TYPE)
        .header(hyper::header::ACCEPT, "application/json")
        .body(Full::new(Bytes::from(envelope)))
        .map_err(|e| format!("request: {e}"))?;
    let response = sender.send_request(request).await.map_err(|e| format!("HTTP: {e}"))?;
    let status = response.status().as_u16();
    let body = Limited::new(response.into_body(), MAX_ANSWER_BYTES).collect().await.map(|b| b.to_bytes());
    driving.abort();
    let code = body
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_owned));
    Ok(PostResult::Answered { status, code })
}

impl EnvelopePoster for HttpsPoster {
    async fn post(&self, url: &str, envelope: Vec<u8>) -> PostResult {
        match tokio::time::timeout(DELIVERY_TIMEOUT, self.deliver(url, envelope)).await {
            Ok(Ok(result)) => result,
            Ok(Err(problem)) => PostResult::Unreachable { problem },
            Err(_) => PostResult::Unreachable { problem: "timed out".into() },
        }
    }
}
