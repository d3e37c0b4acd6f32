//! `haven exchange …`: the focal point's side of the cross-border person count and the outbox,
//! from the operator console (docs/transnational.md §8.5 and §11). The secret the focal points
//! share is read from a file (never from the command line, where it would stay in the shell's
//! history) and never printed.

use anyhow::{Context, Result};
use clap::Subcommand;
use haven_app::App;
use haven_app::admin::Acting;
use std::path::PathBuf;

#[derive(Subcommand, Debug, PartialEq, Eq)]
pub enum ExchangeCommand {
    /// Stores a generation of the secret the focal points agreed for the cross-border person
    /// count (a file holding standard base64 of at least 32 bytes). It is never shown again.
    Secret {
        /// The generation's label, as agreed between the focal points (e.g. 2026-1).
        #[arg(long)]
        generation: String,
        /// The file holding the secret.
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
    /// Encodes this country's persons identified as victims in a year and sends the encodings
    /// to the pinned EU hub.
    SendEncodings {
        /// The reference year.
        #[arg(long)]
        year: u16,
    },
    /// Lists the outbox: each message's type, receiver, state, attempts and acknowledgement,
    /// never its body.
    Outbox {
        /// The most messages listed, newest first.
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
}

pub async fn run(app: &App, cmd: ExchangeCommand) -> Result<()> {
    match cmd {
        ExchangeCommand::Secret { generation, file } => {
            let secret = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            app.store_person_linkage_secret_as(Acting::Operator, &generation, &secret).await?;
            println!("stored the secret generation {} (encrypted; it is not shown again)", generation.trim());
        }
        ExchangeCommand::SendEncodings { year } => {
            let sent = app.send_person_encodings_as(Acting::Operator, year).await?;
            println!(
                "{} persons of {} for {}: message {} {}",
                sent.persons, sent.year, sent.receiver, sent.message_id, sent.state
            );
            if let Some(error) = sent.error {
                anyhow::bail!("the exchange did not take the message: {error}");
            }
        }
        ExchangeCommand::Outbox { limit } => {
            for m in app.exchange_outbox(Acting::Operator, limit).await? {
                let acknowledgement = m.acknowledgement.as_deref().unwrap_or("-");
                let error = m.last_error.as_deref().unwrap_or("-");
                println!(
                    "{} {} to {} {} attempts={} next={} acknowledgement={acknowledgement} error={error}",
                    m.message_id, m.message_type, m.receiver, m.state, m.attempts, m.next_attempt_at
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser, Debug)]
    struct Cli {
        #[command(subcommand)]
        exchange: ExchangeCommand,
    }

    fn parse(args: &[&str]) -> Result<ExchangeCommand, clap::Error> {
        Cli::try_parse_from(std::iter::once("exchange").chain(args.iter().copied())).map(|c| c.exchange)
    }

    #[test]
    fn exchange_subcommands_parse_with_their_arguments() {
        assert_eq!(
            parse(&["secret", "--generation", "2026-1", "--file", "s.txt"]).expect("parses"),
            ExchangeCommand::Secret { generation: "2026-1".into(), file: "s.txt".into() }
        );
        assert_eq!(
            parse(&["send-encodings", "--year", "2025"]).expect("parses"),
            ExchangeCommand::SendEncodings { year: 2025 }
        );
        assert_eq!(parse(&["outbox"]).expect("parses"), ExchangeCommand::Outbox { limit: 50 });
    }

    #[test]
    fn the_secret_is_taken_from_a_file_only() {
        let err = parse(&["secret", "--generation", "g"]).expect_err("no file");
        assert!(err.to_string().contains("--file"), "{err}");
        assert!(parse(&["send-encodings", "--year", "nineteen"]).is_err());
    }
}
