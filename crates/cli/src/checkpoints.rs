//! The server's audit checkpoints: a signed copy of the audit head written outside the database
//! every `[audit] checkpoint_every` entries and on graceful shutdown, to an append-only file and
//! optionally POSTed to an HTTP endpoint. See docs/audit.md.

use anyhow::{Context, Result, bail};
use haven_app::App;
use haven_app::audit_anchor::{checkpoint_line, parse_checkpoints};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// How often the running server looks at the audit head.
const POLL: Duration = Duration::from_secs(1);
/// How long a POST to the checkpoint endpoint may take.
const HTTP_TIMEOUT: Duration = Duration::from_secs(5);

/// An `http://host:port/path` endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    authority: String,
    path: String,
}

impl Endpoint {
    pub fn parse(url: &str) -> Result<Endpoint> {
        let Some(rest) = url.strip_prefix("http://") else {
            bail!("[audit] checkpoint_url must start with http:// (got {url:?})");
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if authority.is_empty() || authority.contains(['@', ' ']) || path.contains([' ', '\r', '\n']) {
            bail!("[audit] checkpoint_url is not a usable http:// address: {url:?}");
        }
        let authority = if authority.contains(':') { authority.to_owned() } else { format!("{authority}:80") };
        Ok(Endpoint { authority, path: path.to_owned() })
    }

    /// POSTs `body` (JSON); succeeds on a 2xx answer.
    async fn post(&self, body: &str) -> Result<()> {
        let attempt = async {
            let mut stream = tokio::net::TcpStream::connect(&self.authority).await?;
            let request = format!(
                "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                self.path,
                self.authority,
                body.len()
            );
            stream.write_all(request.as_bytes()).await?;
            let mut answer = Vec::new();
            stream.read_to_end(&mut answer).await?;
            Ok::<_, std::io::Error>(answer)
        };
        let answer = tokio::time::timeout(HTTP_TIMEOUT, attempt)
            .await
            .with_context(|| format!("no answer from {} within {HTTP_TIMEOUT:?}", self.authority))??;
        let status_line = String::from_utf8_lossy(&answer).lines().next().unwrap_or_default().to_owned();
        let code = status_line.split_whitespace().nth(1).unwrap_or_default();
        if !code.starts_with('2') || code.len() != 3 {
            bail!("the checkpoint endpoint answered {status_line:?}");
        }
        Ok(())
    }
}

/// Writes checkpoints for one running server.
pub struct Checkpointer {
    app: App,
    file: PathBuf,
    endpoint: Option<Endpoint>,
    every: u64,
    /// The seq of the newest checkpoint written (or found in the file at start).
    last_seq: i64,
}

impl Checkpointer {
    /// Reads where the file left off; warns when the log is behind the newest checkpoint.
    pub async fn new(app: App, file: PathBuf, url: &str, every: u64) -> Result<Checkpointer> {
        let endpoint = if url.trim().is_empty() { None } else { Some(Endpoint::parse(url.trim())?) };
        // A checkpoint file that cannot be read is a finding for `haven audit verify`, not a
        // reason to stop serving: new checkpoints are appended after it.
        let last_seq = last_checkpoint_seq(&file).unwrap_or_else(|e| {
            tracing::error!(error = %format!("{e:#}"), "the audit checkpoint file cannot be read");
            0
        });
        let head = app.store().audit_head().await?.map_or(0, |h| h.seq);
        if last_seq > head {
            tracing::error!(
                checkpoint = last_seq,
                head,
                file = %file.display(),
                "the audit log ends before the newest checkpoint: it was rolled back or truncated; \
                 run `haven audit verify --checkpoints` on this file"
            );
        }
        Ok(Checkpointer { app, file, endpoint, every, last_seq })
    }

    /// Writes a checkpoint of the current head (nothing while the log is empty).
    pub async fn write(&mut self) -> Result<()> {
        let Some(cp) = self.app.audit_checkpoint().await? else {
            return Ok(());
        };
        let line = checkpoint_line(&cp);
        append_line(&self.file, &line).await.with_context(|| format!("appending to {}", self.file.display()))?;
        self.last_seq = cp.seq;
        tracing::info!(seq = cp.seq, file = %self.file.display(), "audit checkpoint written");
        if let Some(endpoint) = &self.endpoint
            && let Err(e) = endpoint.post(&line).await
        {
            tracing::error!(error = %format!("{e:#}"), "the audit checkpoint could not be sent to the endpoint");
        }
        Ok(())
    }

    /// Whether the log has grown by `every` entries since the last checkpoint.
    async fn due(&self) -> Result<bool> {
        if self.every == 0 {
            return Ok(false);
        }
        let head = self.app.store().audit_head().await?.map_or(0, |h| h.seq);
        let every = i64::try_from(self.every).unwrap_or(i64::MAX);
        Ok(head >= self.last_seq.saturating_add(every))
    }

    /// Checks the head every second until `stop` says so, writing a checkpoint whenever due.
    pub async fn run(mut self, mut stop: tokio::sync::watch::Receiver<bool>) -> Checkpointer {
        let mut tick = tokio::time::interval(POLL);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.changed() => return self,
            }
            let due = match self.due().await {
                Ok(due) => due,
                Err(e) => {
                    tracing::error!(error = %format!("{e:#}"), "cannot read the audit head for a checkpoint");
                    false
                }
            };
            if due && let Err(e) = self.write().await {
                tracing::error!(error = %format!("{e:#}"), "the audit checkpoint could not be written");
            }
        }
    }
}

/// Appends one line and flushes it to disk; the file is created with mode 0600.
async fn append_line(file: &Path, line: &str) -> std::io::Result<()> {
    let mut options = tokio::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut f = options.open(file).await?;
    f.write_all(format!("{line}\n").as_bytes()).await?;
    f.sync_data().await
}

/// The seq of the newest checkpoint in the file (0 when there is none).
fn last_checkpoint_seq(file: &Path) -> Result<i64> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e).with_context(|| format!("reading {}", file.display())),
    };
    let checkpoints = parse_checkpoints(&text).with_context(|| format!("reading {}", file.display()))?;
    Ok(checkpoints.iter().map(|(_, cp)| cp.seq).max().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_endpoints_are_accepted() {
        assert_eq!(
            Endpoint::parse("http://127.0.0.1:9000/cp").unwrap(),
            Endpoint { authority: "127.0.0.1:9000".into(), path: "/cp".into() }
        );
        assert_eq!(
            Endpoint::parse("http://anchor.example").unwrap(),
            Endpoint { authority: "anchor.example:80".into(), path: "/".into() }
        );
        for bad in ["https://x/cp", "ftp://x", "http://", "http://u@x/", "x"] {
            assert!(Endpoint::parse(bad).is_err(), "{bad}");
        }
    }
}
