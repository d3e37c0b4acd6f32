//! `haven demo`: Latvia, Estonia, Lithuania and the EU hub as four instances in one process
//! (docs/transnational.md, "Demo"). Each has its own subfolder of the data directory (`lv`,
//! `ee`, `lt`, `eu`: its own SQLite database, master key and exchange keys), its own web
//! interface (the port of `--listen` and the next three) and its own exchange listener on
//! loopback (plain HTTP, the web port plus 100); every instance is pinned in the others'
//! directories and delivers its outbox to them. Each holds its own part of the synthetic data
//! ([`crate::demo::seed`]); on the first start the Latvian focal point sends a referral to
//! Estonia's, and Latvia's statistics release goes to the hub, both over the exchange.

use crate::config::Config;
use crate::demo::Part;
use crate::demo_ident::Country;
use anyhow::{Context, Result, bail};
use haven_app::App;
use haven_app::admin::Acting;
use haven_app::exchange_peers::IdentitySetup;
use haven_crypto::MasterKey;
use haven_web::exchange_tls::HttpsPoster;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// An instance's exchange listener is on its web port plus this (8180–8183 by default).
const EXCHANGE_PORT_OFFSET: u16 = 100;
/// Seconds between two delivery passes over each instance's outbox.
const DELIVERY_SECONDS: u64 = 2;
/// How long the first start waits for its messages to be delivered before serving.
const FIRST_DELIVERY: Duration = Duration::from_secs(30);

/// One instance of the demonstration.
struct Site {
    part: Part,
    /// Its subfolder of the data directory.
    folder: &'static str,
    /// Its instance id in the exchange.
    instance_id: &'static str,
    role: &'static str,
    name: &'static str,
}

/// Latvia first: the main instance, on the port of `--listen`.
const SITES: [Site; 4] = [
    Site {
        part: Part::Country(Country::Lv),
        folder: "lv",
        instance_id: "LV",
        role: "national_focal_point",
        name: "Latvia",
    },
    Site {
        part: Part::Country(Country::Ee),
        folder: "ee",
        instance_id: "EE",
        role: "national_focal_point",
        name: "Estonia",
    },
    Site {
        part: Part::Country(Country::Lt),
        folder: "lt",
        instance_id: "LT",
        role: "national_focal_point",
        name: "Lithuania",
    },
    Site { part: Part::Hub, folder: "eu", instance_id: "EU", role: "eu_hub", name: "the EU hub" },
];

/// An instance opened, its listeners bound.
struct Instance {
    site: &'static Site,
    dir: PathBuf,
    config: Config,
    master: MasterKey,
    key_file: Option<PathBuf>,
    app: App,
    web: TcpListener,
    exchange: TcpListener,
    endpoint: String,
}

/// The address `offset` ports after `base` (port 0 stays 0: any free port).
fn shifted(base: SocketAddr, offset: u16) -> Result<SocketAddr> {
    if base.port() == 0 {
        return Ok(base);
    }
    let port = base
        .port()
        .checked_add(offset)
        .with_context(|| format!("--listen {base}: the demonstration also needs port {} + {offset}", base.port()))?;
    Ok(SocketAddr::new(base.ip(), port))
}

/// The address of an `http://host:port/...` endpoint (the demonstration's own).
fn endpoint_address(endpoint: &str) -> Result<SocketAddr> {
    let rest = endpoint.strip_prefix("http://").with_context(|| {
        format!("the exchange endpoint {endpoint} is not the demonstration's (http on loopback): use a new data folder")
    })?;
    let authority = rest.split('/').next().unwrap_or_default();
    authority.parse().with_context(|| format!("the exchange endpoint {endpoint} does not name an address and port"))
}

async fn bind(address: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(address).await.with_context(|| format!("cannot listen on {address}"))
}

/// The delivery client: the instances speak plain HTTP to each other on loopback, so it trusts
/// no certificate authority (an https peer is refused).
#[expect(
    deprecated,
    reason = "ring is the provider that builds without cmake; its post-quantum key exchange is not needed here"
)]
fn loopback_poster() -> Result<HttpsPoster> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .context("the delivery client's TLS configuration")?
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    Ok(HttpsPoster::new(Arc::new(config)))
}

/// Opens the instance of `site` in its subfolder, with its own master key and database:
/// Latvia's as `haven serve` finds them (HAVEN_MASTER_KEY, `[keys]` or the key file in its
/// folder; `--database-url` or SQLite in its folder), the others' always in their folders (a key
/// file, SQLite).
async fn open(index: usize, site: &'static Site, config: &Config, data: &Path, base: SocketAddr) -> Result<Instance> {
    let dir = data.join(site.folder);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut config = config.clone();
    config.instance.jurisdiction = site.part.code().to_owned();
    let (master, key_file) = if index == 0 {
        crate::master_key(&config, &dir)?
    } else {
        config.database.url.clear();
        config.keys.master_key_file.clear();
        config.audit.checkpoint_file.clear();
        config.audit.checkpoint_url.clear();
        let path = dir.join("master.key");
        let (key, _) =
            MasterKey::load_or_create(&path).with_context(|| format!("master key file {}", path.display()))?;
        (key, Some(path))
    };
    let app = crate::open_app_with(&config, &dir, &master)
        .await
        .with_context(|| format!("opening the instance of {} in {}", site.name, dir.display()))?;
    let offset = u16::try_from(index).context("too many instances")?;
    let web = bind(shifted(base, offset)?).await?;
    // The exchange listens on loopback only: it is served without TLS.
    let loopback = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), base.port());
    let identity = app.instance_identity(Acting::Operator, None).await.ok();
    let exchange = match &identity {
        Some(identity) => bind(endpoint_address(&identity.endpoint)?).await?,
        None => bind(shifted(loopback, EXCHANGE_PORT_OFFSET + offset)?).await?,
    };
    let endpoint = format!("http://{}/exchange", exchange.local_addr()?);
    if identity.is_none() {
        let setup = IdentitySetup {
            instance_id: site.instance_id.to_owned(),
            role: site.role.to_owned(),
            endpoint: endpoint.clone(),
        };
        app.instance_identity(Acting::Operator, Some(&setup))
            .await
            .with_context(|| format!("making the exchange identity of {}", site.name))?;
    }
    Ok(Instance { site, dir, config, master, key_file, app, web, exchange, endpoint })
}

/// Pins every instance in every other's directory (once: a pin kept from an earlier start
/// stands).
async fn pin_each_other(instances: &[Instance]) -> Result<()> {
    let mut entries = Vec::new();
    for instance in instances {
        let own = instance.app.own_directory_entry(Acting::Operator).await?;
        entries.push((instance.site.instance_id, own.json, own.identity.signing_key_id));
    }
    for instance in instances {
        let pinned: Vec<String> =
            instance.app.peers(Acting::Operator).await?.into_iter().map(|p| p.instance_id).collect();
        for (peer, json, signing_key_id) in &entries {
            if *peer == instance.site.instance_id || pinned.iter().any(|p| p == peer) {
                continue;
            }
            instance
                .app
                .add_peer(Acting::Operator, json.as_bytes(), signing_key_id)
                .await
                .with_context(|| format!("pinning {peer} in the directory of {}", instance.site.name))?;
        }
    }
    Ok(())
}

/// Waits until every message in the outboxes was delivered (or [`FIRST_DELIVERY`] passed);
/// returns the messages delivered and those still waiting.
async fn delivered(instances: &[(&Site, App)]) -> Result<(Vec<String>, usize)> {
    let deadline = tokio::time::Instant::now() + FIRST_DELIVERY;
    loop {
        let mut done = Vec::new();
        let mut waiting = 0;
        for (site, app) in instances {
            for message in app.exchange_outbox(Acting::Operator, 1000).await? {
                if message.delivered_at.is_some() {
                    done.push(format!("{} → {}: {}", site.instance_id, message.receiver, message.message_type));
                } else if message.state != "refused" && message.state != "expired" {
                    waiting += 1;
                }
            }
        }
        if waiting == 0 || tokio::time::Instant::now() >= deadline {
            done.sort();
            return Ok((done, waiting));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Everything one instance runs while serving, to stop at the end.
struct Serving {
    name: &'static str,
    app: App,
    web: tokio::task::JoinHandle<std::io::Result<()>>,
    exchange: crate::exchange::Running,
    following: tokio::task::JoinHandle<()>,
    sweeping: tokio::task::JoinHandle<()>,
    stop_checkpoints: tokio::sync::watch::Sender<bool>,
    checkpointing: tokio::task::JoinHandle<crate::checkpoints::Checkpointer>,
}

/// `haven demo`.
pub async fn run(config: Config, data: &Path, listen: Option<String>) -> Result<()> {
    let listen = listen.unwrap_or_else(|| config.server.listen.clone());
    let base: SocketAddr = listen.parse().with_context(|| {
        format!("--listen {listen}: the demonstration needs an address and port, e.g. 127.0.0.1:8080")
    })?;
    let mut instances = Vec::with_capacity(SITES.len());
    for (index, site) in SITES.iter().enumerate() {
        instances.push(open(index, site, &config, data, base).await?);
    }
    pin_each_other(&instances).await?;

    for instance in &instances {
        let app = &instance.app;
        println!(
            "== {} ({}): http://{}, exchange {}, data in {}",
            instance.site.name,
            instance.site.instance_id,
            instance.web.local_addr()?,
            instance.endpoint,
            instance.dir.display()
        );
        if let Some((username, password)) = app.bootstrap_administrator(instance.site.part.code()).await? {
            // Printed to the terminal only, never logged.
            println!("First start: created the administrator account.");
            println!("  username: {username}");
            println!("  password: {password}");
            println!("It must set up a second factor (authenticator app) under My account before administering.");
        }
        crate::demo::seed(app, &instance.master, instance.site.part)
            .await
            .with_context(|| format!("loading the demonstration data of {}", instance.site.name))?;
    }

    let poster = loopback_poster()?;
    let web_config = haven_web::WebConfig {
        tls: config.server.tls,
        trust_forwarded_for: config.server.trust_forwarded_for,
        max_body_bytes: config.server.max_body_bytes,
        request_timeout: Duration::from_secs(config.server.request_timeout_seconds),
    };
    let (stop_web, web_stopped) = tokio::sync::watch::channel(false);
    let mut serving = Vec::with_capacity(instances.len());
    let mut addresses = Vec::with_capacity(instances.len());
    let mut running_apps = Vec::with_capacity(instances.len());
    for instance in instances {
        let Instance { site, dir, config, master, key_file, app, web, exchange, endpoint } = instance;
        let app = app.with_instance_person_model().await.context("reading the instance's person model")?;
        crate::fail_interrupted_relinks(&app).await;
        match app.ensure_person_clusters().await {
            Ok(Some(job)) => tracing::info!(%job, instance = site.instance_id, "re-linking persons in the background"),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "could not start the re-link of persons"),
        }
        let sweeping = tokio::spawn(crate::sweep_interrupted_relinks(app.clone()));
        let following = app.follow_key_changes(match key_file {
            Some(file) => haven_app::keys::MasterKeySource::File(file),
            None => haven_app::keys::MasterKeySource::Given(master),
        });
        let checkpointer = crate::checkpoints::Checkpointer::new(
            app.clone(),
            config.checkpoint_file(&dir),
            &config.audit.checkpoint_url,
            config.audit.checkpoint_every,
        )
        .await?;
        let (stop_checkpoints, stopped) = tokio::sync::watch::channel(false);
        let checkpointing = tokio::spawn(checkpointer.run(stopped));
        let exchange =
            crate::exchange::start_plain(exchange, app.clone(), poster.clone(), Duration::from_secs(DELIVERY_SECONDS));
        let router = haven_web::router(app.clone(), web_config.clone())?;
        let address = web.local_addr()?;
        tracing::info!(%address, instance = site.instance_id, exchange = %endpoint, "serving");
        let mut stopped = web_stopped.clone();
        let web = tokio::spawn(async move {
            axum::serve(web, router.into_make_service_with_connect_info::<SocketAddr>())
                .with_graceful_shutdown(async move {
                    let _ = stopped.wait_for(|stop| *stop).await;
                })
                .await
        });
        addresses.push((site, address, endpoint));
        running_apps.push((site, app.clone()));
        serving.push(Serving {
            name: site.name,
            app,
            web,
            exchange,
            following,
            sweeping,
            stop_checkpoints,
            checkpointing,
        });
    }
    let shutdown = crate::shutdown_signal()?;

    let (done, waiting) = delivered(&running_apps).await?;
    println!("Exchange between the instances: {} message(s) delivered, {waiting} waiting", done.len());
    for line in &done {
        println!("  {line}");
    }
    for (site, address, endpoint) in addresses.iter().skip(1) {
        println!("{} ({}) is serving on http://{address} (exchange {endpoint})", site.name, site.instance_id);
    }
    let Some((lv, lv_address, lv_endpoint)) = addresses.first() else { bail!("no instance") };
    let backend = serving.first().map_or("sqlite", |s| s.app.store().backend_name());
    println!("{} ({}) is the main instance (exchange {lv_endpoint}).", lv.name, lv.instance_id);
    println!("Haven is serving on http://{lv_address} ({backend} database)");

    shutdown.await;
    let _ = stop_web.send(true);
    for s in serving {
        match s.web.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::error!(error = %e, instance = s.name, "the web server failed"),
            Err(e) => tracing::error!(error = %e, instance = s.name, "the web server task failed"),
        }
        s.following.abort();
        s.sweeping.abort();
        s.exchange.stop().await;
        let _ = s.stop_checkpoints.send(true);
        match s.checkpointing.await {
            Ok(mut checkpointer) => {
                if let Err(e) = checkpointer.write().await {
                    tracing::error!(error = %format!("{e:#}"), "the shutdown audit checkpoint could not be written");
                }
            }
            Err(e) => tracing::error!(error = %e, "the audit checkpoint task failed"),
        }
        s.app.store().close().await;
    }
    tracing::info!("requests finished; closing the database");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> SocketAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn the_instances_follow_latvia_on_the_next_ports_and_any_free_port_stays_any() {
        let base = at("127.0.0.1:8080");
        let ports: Vec<u16> = (0..4).map(|i| shifted(base, i).expect("a port").port()).collect();
        assert_eq!(ports, [8080, 8081, 8082, 8083]);
        assert_eq!(shifted(base, EXCHANGE_PORT_OFFSET + 3).expect("a port").port(), 8183);
        assert_eq!(shifted(at("127.0.0.1:0"), 2).expect("a port"), at("127.0.0.1:0"));
        let err = shifted(at("127.0.0.1:65534"), EXCHANGE_PORT_OFFSET).expect_err("beyond the last port");
        assert!(err.to_string().contains("--listen"), "{err}");
    }

    #[test]
    fn a_later_start_listens_where_the_identity_says_and_refuses_an_endpoint_not_its_own() {
        assert_eq!(endpoint_address("http://127.0.0.1:8181/exchange").expect("ours"), at("127.0.0.1:8181"));
        assert!(endpoint_address("https://ee.haven.example/exchange").is_err());
        assert!(endpoint_address("http://localhost/exchange").is_err());
    }

    #[test]
    fn the_sites_are_latvia_first_then_estonia_lithuania_and_the_hub_each_in_its_folder() {
        let ids: Vec<&str> = SITES.iter().map(|s| s.instance_id).collect();
        assert_eq!(ids, ["LV", "EE", "LT", "EU"]);
        let folders: std::collections::BTreeSet<&str> = SITES.iter().map(|s| s.folder).collect();
        assert_eq!(folders.len(), 4);
        assert!(SITES.iter().all(|s| (s.role == "eu_hub") == (s.part == Part::Hub)));
        assert!(SITES.iter().all(|s| s.part.code() == s.instance_id));
    }
}
