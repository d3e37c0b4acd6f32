//! Configuration: a TOML file, then `HAVEN_*` environment variables over it, then command-line
//! flags. Unknown keys are refused with a message naming them.

use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub keys: KeysConfig,
    pub instance: InstanceConfig,
    pub sessions: SessionsConfig,
    pub login: LoginConfig,
    pub log: LogConfig,
    pub statistics: StatisticsConfig,
    pub audit: AuditConfig,
    pub exchange: ExchangeConfig,
}

/// The transnational exchange's own listener and delivery client (docs/transnational.md §7).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExchangeConfig {
    /// Address and port of the exchange's HTTPS listener (`/exchange/v1/...`, TLS 1.3); empty:
    /// the exchange is neither served nor delivered by this server.
    pub listen: String,
    /// The listener's certificate chain (PEM). Without it (and the key), plain HTTP is served,
    /// and only on a loopback address (tests).
    pub certificate_file: String,
    /// The listener's private key (PEM).
    pub private_key_file: String,
    /// The CA certificates (PEM) the delivery client trusts for the peers' listeners.
    pub ca_file: String,
    /// Seconds between two delivery passes over the outbox.
    pub delivery_interval_seconds: u64,
}

impl Default for ExchangeConfig {
    fn default() -> Self {
        ExchangeConfig {
            listen: String::new(),
            certificate_file: String::new(),
            private_key_file: String::new(),
            ca_file: String::new(),
            delivery_interval_seconds: 15,
        }
    }
}

/// Where the server anchors the audit log outside the database (see docs/audit.md).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuditConfig {
    /// The append-only file the server adds a signed checkpoint (one JSON line) to. Default:
    /// `<data>/audit-checkpoints.jsonl`; keep it on another machine or disk in production.
    pub checkpoint_file: String,
    /// A checkpoint each time the log has grown by this many entries (and one on graceful
    /// shutdown); 0 writes one on shutdown only.
    pub checkpoint_every: u64,
    /// Optionally, an `http://` endpoint every checkpoint is also POSTed to as JSON.
    pub checkpoint_url: String,
}

impl Default for AuditConfig {
    fn default() -> Self {
        AuditConfig { checkpoint_file: String::new(), checkpoint_every: 1000, checkpoint_url: String::new() }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StatisticsConfig {
    /// The privacy budget ε of each dataset (a country's case data for one reference year) that
    /// differentially private releases draw on, as a decimal.
    pub privacy_epsilon_budget: String,
    /// The privacy budget δ of each dataset, as a decimal.
    pub privacy_delta_budget: String,
}

impl Default for StatisticsConfig {
    fn default() -> Self {
        StatisticsConfig { privacy_epsilon_budget: "4".into(), privacy_delta_budget: "0.000001".into() }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address and port to listen on.
    pub listen: String,
    /// Served over TLS by a proxy in front: Secure cookies and HSTS.
    pub tls: bool,
    /// Trust the first X-Forwarded-For hop as the client address (only behind a proxy).
    pub trust_forwarded_for: bool,
    pub max_body_bytes: usize,
    pub request_timeout_seconds: u64,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `postgres://…`; empty means the embedded SQLite database in the data directory.
    pub url: String,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct KeysConfig {
    /// Where the master key file is (created with mode 0600 on first start). Default:
    /// `<data>/master.key`. HAVEN_MASTER_KEY (base64) takes precedence over the file.
    pub master_key_file: String,
    /// Write new case data under field keys instead of each case's own subject key (an instance
    /// not yet switched to crypto-shredding; docs/keys.md). Default false.
    pub case_data_under_field_keys: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InstanceConfig {
    /// The country this instance serves (ISO 3166-1 alpha-2), or EU.
    pub jurisdiction: String,
    /// A directory of reference data added to the built-in defaults, read at start:
    /// `indicators/<list-id>/{list.toml,dimensions.csv,indicators.csv}` (indicator lists) and
    /// `profiles/*.toml` (jurisdiction profiles, replacing a built-in one of the same country),
    /// `linkage/persons.toml` (the person-linkage model, replacing the built-in one).
    pub reference_dir: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionsConfig {
    pub idle_minutes: i64,
    pub absolute_hours: i64,
    /// An API token stops working this many days after it was created.
    pub api_token_days: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoginConfig {
    pub failures_per_account: u32,
    pub failures_per_address: u32,
    pub window_minutes: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// `text` or `json`.
    pub format: String,
    /// A tracing filter, e.g. `info` or `haven=debug,info`.
    pub level: String,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: "127.0.0.1:8080".into(),
            tls: false,
            trust_forwarded_for: false,
            max_body_bytes: 1024 * 1024,
            request_timeout_seconds: 30,
        }
    }
}

impl Default for InstanceConfig {
    fn default() -> Self {
        InstanceConfig { jurisdiction: "LV".into(), reference_dir: String::new() }
    }
}

impl Default for SessionsConfig {
    fn default() -> Self {
        SessionsConfig { idle_minutes: 30, absolute_hours: 12, api_token_days: 90 }
    }
}

impl Default for LoginConfig {
    fn default() -> Self {
        LoginConfig { failures_per_account: 5, failures_per_address: 20, window_minutes: 15 }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig { format: "text".into(), level: "info".into() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("configuration {origin}: {message}")]
    Invalid { origin: String, message: String },
}

/// Environment variables with names of their own (the and operators' habits).
const ALIASES: &[(&str, &str, &str)] = &[
    ("HAVEN_DATABASE_URL", "database", "url"),
    ("HAVEN_LISTEN", "server", "listen"),
    ("HAVEN_JURISDICTION", "instance", "jurisdiction"),
    ("HAVEN_LOG", "log", "level"),
];

/// Variables that are not configuration keys.
const NOT_KEYS: &[&str] = &["HAVEN_MASTER_KEY", "HAVEN_CONFIG", "HAVEN_TEST_POSTGRES_URL", "HAVEN_DATA"];

fn env_value(raw: &str) -> toml::Value {
    if let Ok(b) = raw.parse::<bool>() {
        return toml::Value::Boolean(b);
    }
    if let Ok(i) = raw.parse::<i64>() {
        return toml::Value::Integer(i);
    }
    toml::Value::String(raw.to_owned())
}

/// Whether one setting alone deserialises.
fn alone(section: &str, key: &str, value: toml::Value) -> Result<(), toml::de::Error> {
    let mut inner = toml::Table::new();
    inner.insert(key.to_owned(), value);
    let mut table = toml::Table::new();
    table.insert(section.to_owned(), toml::Value::Table(inner));
    toml::Value::Table(table).try_into::<Config>().map(|_| ())
}

impl Config {
    /// Reads the file (if any) and overlays the given environment.
    pub fn load(file: Option<&Path>, env: impl IntoIterator<Item = (String, String)>) -> Result<Config, ConfigError> {
        let mut table = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|source| ConfigError::Read { path: path.display().to_string(), source })?;
                text.parse::<toml::Table>().map_err(|e| ConfigError::Invalid {
                    origin: format!("file {}", path.display()),
                    message: e.to_string(),
                })?
            }
            None => toml::Table::new(),
        };
        let origin = file.map_or_else(|| "environment".to_owned(), |p| format!("file {} and environment", p.display()));
        for (name, value) in env {
            if !name.starts_with("HAVEN_") || NOT_KEYS.contains(&name.as_str()) {
                continue;
            }
            let (section, key) = if let Some((_, s, k)) = ALIASES.iter().find(|(n, _, _)| *n == name) {
                ((*s).to_owned(), (*k).to_owned())
            } else if let Some((s, k)) = name["HAVEN_".len()..].split_once("__") {
                (s.to_ascii_lowercase(), k.to_ascii_lowercase())
            } else {
                return Err(ConfigError::Invalid {
                    origin: "environment".into(),
                    message: format!("unknown variable {name} (use HAVEN_SECTION__KEY, e.g. HAVEN_SERVER__LISTEN)"),
                });
            };
            // Each variable alone first, so that an error names the variable that caused it. A
            // value that looks like a number or a boolean is taken as text where text is expected
            // (a key file named `2026`, say).
            let typed = env_value(&value);
            let value = match alone(&section, &key, typed.clone()) {
                Ok(()) => typed,
                Err(e) => match alone(&section, &key, toml::Value::String(value.clone())) {
                    Ok(()) => toml::Value::String(value),
                    Err(_) => {
                        return Err(ConfigError::Invalid {
                            origin: format!("variable {name}"),
                            message: e.to_string().trim().to_owned(),
                        });
                    }
                },
            };
            let entry = table.entry(section.clone()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
            match entry {
                toml::Value::Table(t) => {
                    t.insert(key, value);
                }
                _ => {
                    return Err(ConfigError::Invalid { origin: name, message: format!("{section} is not a section") });
                }
            }
        }
        toml::Value::Table(table)
            .try_into::<Config>()
            .map_err(|e| ConfigError::Invalid { origin, message: e.to_string().trim().to_owned() })
    }

    /// The file the server appends audit checkpoints to.
    pub fn checkpoint_file(&self, data: &Path) -> PathBuf {
        if self.audit.checkpoint_file.is_empty() {
            data.join("audit-checkpoints.jsonl")
        } else {
            PathBuf::from(&self.audit.checkpoint_file)
        }
    }

    pub fn master_key_file(&self, data: &Path) -> PathBuf {
        if self.keys.master_key_file.is_empty() {
            data.join("master.key")
        } else {
            PathBuf::from(&self.keys.master_key_file)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn defaults_without_file_or_environment() {
        let c = Config::load(None, env(&[])).unwrap();
        assert_eq!(c.server.listen, "127.0.0.1:8080");
        assert_eq!(c.sessions.idle_minutes, 30);
    }

    #[test]
    fn file_then_environment_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("haven.toml");
        std::fs::write(&path, "[server]\nlisten = \"0.0.0.0:9000\"\ntls = true\n[instance]\njurisdiction = \"EE\"\n")
            .unwrap();
        let c = Config::load(
            Some(&path),
            env(&[("HAVEN_SERVER__LISTEN", "127.0.0.1:1"), ("HAVEN_DATABASE_URL", "postgres://x")]),
        )
        .unwrap();
        assert_eq!(c.server.listen, "127.0.0.1:1");
        assert!(c.server.tls);
        assert_eq!(c.instance.jurisdiction, "EE");
        assert_eq!(c.database.url, "postgres://x");
    }

    #[test]
    fn numbers_and_booleans_are_text_where_text_is_expected() {
        let c =
            Config::load(None, env(&[("HAVEN_KEYS__MASTER_KEY_FILE", "2026"), ("HAVEN_SESSIONS__IDLE_MINUTES", "5")]))
                .unwrap();
        assert_eq!(c.keys.master_key_file, "2026");
        assert_eq!(c.sessions.idle_minutes, 5);
        assert_eq!(c.sessions.api_token_days, 90, "the default API token lifetime");
        let c = Config::load(None, env(&[("HAVEN_SESSIONS__API_TOKEN_DAYS", "7")])).unwrap();
        assert_eq!(c.sessions.api_token_days, 7);
        let err = Config::load(None, env(&[("HAVEN_SERVER__TLS", "maybe")])).unwrap_err().to_string();
        assert!(err.contains("HAVEN_SERVER__TLS"), "{err}");
    }

    #[test]
    fn the_audit_section_has_defaults_and_takes_its_keys_from_file_and_environment() {
        let c = Config::load(None, env(&[])).unwrap();
        assert_eq!(c.audit.checkpoint_every, 1000);
        assert_eq!(c.checkpoint_file(Path::new("d")), Path::new("d").join("audit-checkpoints.jsonl"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("haven.toml");
        std::fs::write(&path, "[audit]\ncheckpoint_every = 50\ncheckpoint_file = \"/elsewhere/cp.jsonl\"\n").unwrap();
        let c = Config::load(Some(&path), env(&[("HAVEN_AUDIT__CHECKPOINT_URL", "http://127.0.0.1:9/cp")])).unwrap();
        assert_eq!(c.audit.checkpoint_every, 50);
        assert_eq!(c.checkpoint_file(Path::new("d")), PathBuf::from("/elsewhere/cp.jsonl"));
        assert_eq!(c.audit.checkpoint_url, "http://127.0.0.1:9/cp");
        std::fs::write(&path, "[audit]\ncheckpoint_evry = 50\n").unwrap();
        let err = Config::load(Some(&path), env(&[])).unwrap_err().to_string();
        assert!(err.contains("checkpoint_evry"), "{err}");
    }

    #[test]
    fn unknown_keys_are_refused_with_their_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("haven.toml");
        std::fs::write(&path, "[server]\nlisten = \"x\"\nlisen = \"typo\"\n").unwrap();
        let err = Config::load(Some(&path), env(&[])).unwrap_err().to_string();
        assert!(err.contains("lisen"), "{err}");
        let err = Config::load(None, env(&[("HAVEN_SERVER__PORT", "1")])).unwrap_err().to_string();
        assert!(err.contains("port") && err.contains("HAVEN_SERVER__PORT"), "{err}");
        let err =
            Config::load(None, env(&[("HAVEN_SERVER__LISTEN", "x"), ("HAVEN_BOGUS__X", "1")])).unwrap_err().to_string();
        assert!(err.contains("bogus") && err.contains("HAVEN_BOGUS__X"), "{err}");
        let err = Config::load(None, env(&[("HAVEN_FOO", "1")])).unwrap_err().to_string();
        assert!(err.contains("HAVEN_FOO"), "{err}");
        let err = Config::load(None, env(&[("HAVEN_SESSIONS__IDLE_MINUTES", "soon")])).unwrap_err().to_string();
        assert!(err.contains("idle_minutes") || err.contains("invalid type"), "{err}");
    }
}
