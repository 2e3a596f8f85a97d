//! Configuration: defaults, then a TOML file, then `HUBNET_*` environment variables, then
//! command-line flags; validated into typed values at start-up.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Settings as they are written in the file and the environment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawConfig {
    /// `sqlite:PATH` or `postgres://...`.
    pub database_url: String,
    /// Address and port to listen on.
    pub listen: String,
    /// `text` for people, `json` for log collectors.
    pub log_format: String,
    /// A tracing filter such as `info` or `hubnet_server=debug,info`.
    pub log_level: String,
    /// SQLite only: wait for every commit to reach the disk (`synchronous=FULL`).
    pub sqlite_durable: bool,
    /// Most database connections.
    pub max_connections: u32,
    /// Longest a request may take before it is answered 408.
    pub request_timeout_seconds: u64,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Map tiles for the Find page, such as `https://tile.openstreetmap.org/{z}/{x}/{y}.png`;
    /// empty for none (the map then shows the sites on a plain background).
    pub map_tile_url: String,
    /// The address people reach hubnet at, such as `https://hubnet.example.fi`: single sign-on
    /// sends providers back to `{public_url}/sign-in/sso/callback`. Empty: taken from each
    /// request's `Host` (and `X-Forwarded-Proto`), which suits development only.
    pub public_url: String,
    /// hubnet sits behind a reverse proxy that appends the client's address to
    /// `X-Forwarded-For`: failed sign-ins are then counted by that address (the last one in the
    /// header), not by the proxy's. Leave off when clients reach hubnet directly, or anyone
    /// could claim any address.
    pub trust_forwarded_for: bool,
}

impl Default for RawConfig {
    fn default() -> Self {
        Self {
            database_url: "sqlite:hubnet.db".into(),
            listen: "127.0.0.1:8080".into(),
            log_format: "text".into(),
            log_level: "info".into(),
            sqlite_durable: true,
            max_connections: 16,
            request_timeout_seconds: 30,
            max_body_bytes: 1 << 20,
            map_tile_url: String::new(),
            public_url: String::new(),
            trust_forwarded_for: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Validated settings.
#[derive(Clone)]
pub struct Config {
    pub database_url: Secret,
    pub listen: SocketAddr,
    pub log_format: LogFormat,
    pub log_level: String,
    pub sqlite_durable: bool,
    pub max_connections: u32,
    pub request_timeout: Duration,
    pub max_body_bytes: usize,
    /// Tile URL template for maps, if any.
    pub map_tile_url: Option<String>,
    /// Where people reach hubnet, without a trailing slash, if configured.
    pub public_url: Option<String>,
    /// Count failed sign-ins by the last `X-Forwarded-For` address (behind a trusted proxy).
    pub trust_forwarded_for: bool,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &self.database_url)
            .field("listen", &self.listen)
            .field("log_format", &self.log_format)
            .field("log_level", &self.log_level)
            .field("sqlite_durable", &self.sqlite_durable)
            .field("max_connections", &self.max_connections)
            .finish_non_exhaustive()
    }
}

/// A value that must not appear in logs (a database URL may hold a password).
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Show the scheme and host, never a password.
        let shown = match self.0.split_once("://") {
            Some((scheme, rest)) => {
                let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
                format!("{scheme}://…@{host}")
            }
            None => self.0.clone(),
        };
        f.write_str(&shown)
    }
}

/// Overrides from the command line; `None` leaves the configured value.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
}

impl Config {
    /// Reads the configuration. `file` is the `--config` path; without it `hubnet.toml` in the
    /// working directory is read if it exists.
    pub fn load(file: Option<&PathBuf>, overrides: &Overrides) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(RawConfig::default()));
        match file {
            Some(path) => {
                if !path.exists() {
                    bail!("the configuration file {} does not exist", path.display());
                }
                figment = figment.merge(Toml::file_exact(path));
            }
            None => figment = figment.merge(Toml::file("hubnet.toml")),
        }
        let raw: RawConfig = figment
            .merge(Env::prefixed("HUBNET_").ignore(&["config", "test_database_url"]))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        Self::validate(raw)
    }

    pub fn validate(raw: RawConfig) -> anyhow::Result<Self> {
        let url = raw.database_url.trim();
        if !(url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            bail!("database_url must start with sqlite: or postgres:// (got `{}`)", Secret(url.to_owned()).debug());
        }
        let listen: SocketAddr = raw.listen.parse().with_context(|| {
            format!("listen must be an address and port such as 127.0.0.1:8080, not `{}`", raw.listen)
        })?;
        let log_format = match raw.log_format.as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => bail!("log_format must be text or json, not `{other}`"),
        };
        tracing_subscriber::EnvFilter::try_new(&raw.log_level)
            .with_context(|| format!("log_level `{}` is not a valid filter", raw.log_level))?;
        if !(1..=1000).contains(&raw.max_connections) {
            bail!("max_connections must be between 1 and 1000");
        }
        if !(1..=3600).contains(&raw.request_timeout_seconds) {
            bail!("request_timeout_seconds must be between 1 and 3600");
        }
        if raw.max_body_bytes < 1024 {
            bail!("max_body_bytes must be at least 1024");
        }
        let map_tile_url = Some(raw.map_tile_url.trim().to_owned()).filter(|url| !url.is_empty());
        let placeholders = |url: &str| ["{z}", "{x}", "{y}"].iter().all(|p| url.contains(p));
        if map_tile_url
            .as_deref()
            .is_some_and(|url| !(url.starts_with("https://") || url.starts_with("http://")) || !placeholders(url))
        {
            bail!("map_tile_url must be an http(s) URL with {{z}}, {{x}} and {{y}} in it");
        }
        let public_url = Some(raw.public_url.trim().trim_end_matches('/').to_owned()).filter(|url| !url.is_empty());
        if public_url.as_deref().is_some_and(|url| {
            !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(['?', '#', ' '])
        }) {
            bail!("public_url must be an http(s) URL such as https://hubnet.example.fi");
        }
        Ok(Self {
            database_url: Secret(url.to_owned()),
            listen,
            log_format,
            log_level: raw.log_level,
            sqlite_durable: raw.sqlite_durable,
            max_connections: raw.max_connections,
            request_timeout: Duration::from_secs(raw.request_timeout_seconds),
            max_body_bytes: raw.max_body_bytes,
            map_tile_url,
            public_url,
            trust_forwarded_for: raw.trust_forwarded_for,
        })
    }

    /// Settings for tests and embedding: defaults with the given database.
    pub fn with_database(url: &str) -> anyhow::Result<Self> {
        Self::validate(RawConfig { database_url: url.to_owned(), ..RawConfig::default() })
    }
}

impl Secret {
    fn debug(&self) -> String {
        format!("{self:?}")
    }
}

/// Which database a command uses.
#[derive(Debug, clap::Args, Clone, Default)]
pub struct Database {
    /// `sqlite:PATH` or `postgres://...` (also `HUBNET_DATABASE_URL`; default `sqlite:hubnet.db`).
    #[arg(long)]
    pub database_url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid_and_local() {
        let config = Config::validate(RawConfig::default()).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.database_url.expose(), "sqlite:hubnet.db");
    }

    #[test]
    fn refuses_bad_values_with_a_clear_message() {
        let bad = |raw: RawConfig| Config::validate(raw).unwrap_err().to_string();
        assert!(bad(RawConfig { database_url: "mysql://x".into(), ..RawConfig::default() }).contains("database_url"));
        assert!(bad(RawConfig { listen: "localhost".into(), ..RawConfig::default() }).contains("listen"));
        assert!(bad(RawConfig { log_format: "xml".into(), ..RawConfig::default() }).contains("log_format"));
    }

    #[test]
    fn never_prints_a_database_password() {
        let secret = Secret("postgres://hubnet:hunter2@db.example:5432/hubnet".into());
        let shown = format!("{secret:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("db.example"));
    }
}
