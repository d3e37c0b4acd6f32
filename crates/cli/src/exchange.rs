//! The transnational exchange while serving (docs/transnational.md §7): its own listener (HTTPS,
//! TLS 1.3) for the routes peers call, and the loop that delivers the outbox to peers, hands
//! received messages whose handling failed to their handler again, and purges the inbox of
//! messages past their replay window.

use crate::config::ExchangeConfig;
use anyhow::{Context, Result, bail};
use haven_app::App;
use haven_web::exchange::exchange_router;
use haven_web::exchange_tls::{HttpsPoster, client_config, serve_exchange, server_config};
use std::path::Path;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The exchange's listener and delivery loop, running.
pub struct Running {
    stop: watch::Sender<bool>,
    server: JoinHandle<std::io::Result<()>>,
    delivering: JoinHandle<()>,
}

impl Running {
    /// Stops accepting and delivering (a delivery under way is cut; it is retried on the next
    /// start, and the receiver deduplicates it).
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        self.delivering.abort();
        if let Ok(Err(e)) = self.server.await {
            tracing::error!(error = %e, "the exchange listener failed");
        }
    }
}

/// Starts the exchange when `[exchange] listen` is set.
pub async fn start(config: &ExchangeConfig, app: App) -> Result<Option<Running>> {
    let listen = config.listen.trim();
    if listen.is_empty() {
        return Ok(None);
    }
    let tls = match (config.certificate_file.trim(), config.private_key_file.trim()) {
        ("", "") => None,
        ("", _) | (_, "") => bail!("[exchange] needs both certificate_file and private_key_file, or neither"),
        (certificate, key) => {
            Some(server_config(Path::new(certificate), Path::new(key)).context("reading the exchange's certificate")?)
        }
    };
    if config.ca_file.trim().is_empty() {
        bail!("[exchange] ca_file is required: the CA certificates of the peers' exchange listeners");
    }
    let poster = HttpsPoster::new(
        client_config(Path::new(config.ca_file.trim())).context("reading the exchange's CA certificates")?,
    );
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    if tls.is_none() && !address.ip().is_loopback() {
        bail!("[exchange] certificate_file and private_key_file are required on a non-loopback address");
    }
    let scheme = if tls.is_some() { "https" } else { "http" };
    println!("The exchange is served on {scheme}://{address}/exchange");
    tracing::info!(%address, scheme, "exchange listener");
    let (stop, stopped) = watch::channel(false);
    let server = tokio::spawn(serve_exchange(listener, tls, exchange_router(app.clone()), stopped));
    let every = Duration::from_secs(config.delivery_interval_seconds.max(1));
    let delivering = tokio::spawn(deliver(app, poster, every));
    Ok(Some(Running { stop, server, delivering }))
}

/// Runs the exchange on a listener already bound, without TLS (a loopback address: the
/// demonstration's instances), delivering with `poster`.
pub fn start_plain(listener: tokio::net::TcpListener, app: App, poster: HttpsPoster, every: Duration) -> Running {
    let (stop, stopped) = watch::channel(false);
    let server = tokio::spawn(serve_exchange(listener, None, exchange_router(app.clone()), stopped));
    let delivering = tokio::spawn(deliver(app, poster, every));
    Running { stop, server, delivering }
}

async fn deliver(app: App, poster: HttpsPoster, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match app.deliver_exchange_outbox(&poster, app.now()).await {
            Ok(report) => {
                if !(report.delivered.is_empty() && report.refused.is_empty() && report.expired.is_empty()) {
                    tracing::info!(
                        delivered = report.delivered.len(),
                        retrying = report.retrying.len(),
                        refused = report.refused.len(),
                        expired = report.expired.len(),
                        "exchange delivery pass"
                    );
                }
            }
            Err(e) => tracing::error!(error = %e, "the exchange delivery pass failed"),
        }
        let now = app.now();
        match app.redispatch_exchange_inbox(now).await {
            Ok(report) => {
                if !(report.handled.is_empty() && report.retrying.is_empty() && report.given_up.is_empty()) {
                    tracing::info!(
                        handled = report.handled.len(),
                        retrying = report.retrying.len(),
                        given_up = report.given_up.len(),
                        "exchange re-dispatch pass"
                    );
                }
            }
            Err(e) => tracing::error!(error = %e, "the exchange re-dispatch pass failed"),
        }
        match app.purge_exchange_inbox(now).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "exchange inbox purged past the replay window"),
            Err(e) => tracing::error!(error = %e, "the exchange inbox purge failed"),
        }
        // the person encodings: deleted at the hub once the year's count is published or the
        // retention has run out; the sent copies emptied (haven_app::exchange_retention)
        let days = haven_app::exchange_retention::DEFAULT_ENCODINGS_RETENTION_DAYS;
        match app.purge_person_encodings(now, days).await {
            Ok(p) if p.years.is_empty() && p.sender_copies_cleared == 0 => {}
            Ok(p) => tracing::info!(
                years = ?p.years,
                deleted = p.encodings_deleted,
                sender_copies = p.sender_copies_cleared,
                "person encodings deleted after the count"
            ),
            Err(e) => tracing::error!(error = %e, "the person encodings retention pass failed"),
        }
    }
}
