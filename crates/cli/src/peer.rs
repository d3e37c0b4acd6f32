//! `haven peer …`: the instance in the transnational exchange, from the operator console. The
//! operator reads the signing key id out to the peer's operator (telephone, in person) and pins a
//! peer only with the key id the peer's operator read out (docs/transnational.md).

use anyhow::{Context, Result};
use clap::Subcommand;
use haven_app::App;
use haven_app::admin::Acting;
use haven_app::exchange_peers::{IdentitySetup, InstanceIdentity, Peer, PeerKey};
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug, PartialEq, Eq)]
pub enum PeerCommand {
    /// Prints this instance's signed directory entry (JSON, to hand to peers) and the key ids to
    /// read out to their operators. The first time, makes the instance's key pairs: give its
    /// instance id, role and endpoint then.
    #[command(name = "self")]
    Own {
        /// `LV`, `EE`, `EU`, or a country code with a suffix (`LV-TEST`); needed the first time.
        #[arg(long)]
        instance_id: Option<String>,
        /// `national_focal_point` or `eu_hub`.
        #[arg(long, default_value = "national_focal_point")]
        role: String,
        /// The https URL peers deliver messages to; needed the first time.
        #[arg(long)]
        endpoint: Option<String>,
        /// Also writes the signed entry to this file.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Pins a peer from its signed entry (a file), once its operator has read out its signing key id.
    Add {
        file: PathBuf,
        /// The signing key id the peer's operator read out; the entry must be signed by it.
        /// Key ids are base64url and may begin with `-`.
        #[arg(long, allow_hyphen_values = true)]
        signing_key_id: String,
    },
    /// Lists the pinned peers and their keys.
    List,
    /// Revokes one key (signing or encryption) of a pinned peer, from now on.
    Revoke {
        /// The peer's instance id.
        instance: String,
        /// The key id (base64url; it may begin with `-`).
        #[arg(allow_hyphen_values = true)]
        key_id: String,
    },
    /// Applies a pinned peer's newer signed entry (its key rotation), from a file.
    Rotate { file: PathBuf },
    /// Rotates this instance's own keys: new signing and encryption key pairs, the old ones
    /// valid until the end of the overlap. Prints the new signed entry to hand to every peer.
    RotateOwn {
        /// Days during which the old keys stay valid (1 to 90).
        #[arg(long, default_value_t = haven_app::exchange_own_keys::DEFAULT_OVERLAP_DAYS)]
        overlap_days: i64,
        /// Also writes the signed entry to this file.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Revokes one of this instance's own keys at once (no overlap): it neither signs nor opens
    /// from now on, and the signed entry listing it revoked is queued to every pinned peer. The
    /// only current key of its kind is never revoked: rotate first (`rotate-own`).
    RevokeOwn {
        /// The key id of the key to revoke (signing or encryption; `haven peer self` lists them).
        /// Key ids are base64url and may begin with `-`.
        #[arg(allow_hyphen_values = true)]
        key_id: String,
        /// Why, in one line (kept with the key).
        #[arg(long)]
        reason: String,
        /// Also writes the signed entry to this file.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Retires this instance's keys whose overlap has ended (their secrets deleted) and prints
    /// the entry without them.
    RetireOwn {
        /// Also writes the signed entry to this file.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

fn write_entry(out: Option<&Path>, json: &str) -> Result<()> {
    if let Some(file) = out {
        std::fs::write(file, json.as_bytes()).with_context(|| format!("writing {}", file.display()))?;
    }
    Ok(())
}

fn read(file: &Path) -> Result<Vec<u8>> {
    std::fs::read(file).with_context(|| format!("reading {}", file.display()))
}

fn print_identity(identity: &InstanceIdentity) {
    println!("instance: {} ({})", identity.instance_id, identity.role);
    println!("endpoint: {}", identity.endpoint);
    println!("signing key id: {}", identity.signing_key_id);
    println!("read out as: {}", identity.signing_key_spoken);
    for key in &identity.encryption_key_ids {
        println!("encryption key id: {key}");
    }
}

fn key_line(kind: &str, key: &PeerKey) -> String {
    let until = key.valid_until.map(|u| format!(" until {u}")).unwrap_or_default();
    let revoked = key.revoked_at.map(|r| format!(" revoked at {r}")).unwrap_or_default();
    format!("  {kind} {} {} (from {}{until}{revoked})", key.key_id, key.status, key.valid_from)
}

fn print_peer(peer: &Peer) {
    println!("{} {} {} sequence {}", peer.instance_id, peer.role, peer.endpoint, peer.sequence);
    for key in &peer.signing_keys {
        println!("{}", key_line("signing", key));
    }
    for key in &peer.encryption_keys {
        println!("{}", key_line("encryption", key));
    }
}

pub async fn run(app: &App, cmd: PeerCommand) -> Result<()> {
    match cmd {
        PeerCommand::Own { instance_id, role, endpoint, out } => {
            let setup = match (instance_id, endpoint) {
                (Some(instance_id), Some(endpoint)) => Some(IdentitySetup { instance_id, role, endpoint }),
                (None, None) => None,
                (Some(_), None) => anyhow::bail!("--endpoint: give it with --instance-id"),
                (None, Some(_)) => anyhow::bail!("--instance-id: give it with --endpoint"),
            };
            let identity = app.instance_identity(Acting::Operator, setup.as_ref()).await?;
            if identity.created {
                eprintln!("made this instance's exchange keys (stored wrapped under its keyring)");
            }
            let own = app.own_directory_entry(Acting::Operator).await?;
            if let Some(file) = out {
                std::fs::write(&file, own.json.as_bytes()).with_context(|| format!("writing {}", file.display()))?;
            }
            println!("{}", own.json);
            print_identity(&own.identity);
            println!("Read the signing key id out to each peer's operator; they pin this entry only with it.");
        }
        PeerCommand::Add { file, signing_key_id } => {
            let peer = app.add_peer(Acting::Operator, &read(&file)?, &signing_key_id).await?;
            println!("pinned:");
            print_peer(&peer);
        }
        PeerCommand::List => {
            for peer in app.peers(Acting::Operator).await? {
                print_peer(&peer);
            }
        }
        PeerCommand::Revoke { instance, key_id } => {
            let peer = app.revoke_peer_key(Acting::Operator, &instance, &key_id).await?;
            println!("revoked {key_id} of {instance}:");
            print_peer(&peer);
        }
        PeerCommand::Rotate { file } => {
            let peer = app.apply_peer_rotation(Acting::Operator, &read(&file)?).await?;
            println!("rotated:");
            print_peer(&peer);
        }
        PeerCommand::RotateOwn { overlap_days, out } => {
            let rotated = app.rotate_own_keys(Acting::Operator, overlap_days).await?;
            write_entry(out.as_deref(), &rotated.entry_json)?;
            println!("{}", rotated.entry_json);
            println!("sequence: {}", rotated.sequence);
            for (kind, key) in
                [("signing", &rotated.new_signing_key_id), ("encryption", &rotated.new_encryption_key_id)]
            {
                if let Some(key) = key {
                    println!("new {kind} key id: {key}");
                }
            }
            if let Some(until) = rotated.overlap_until {
                println!("the old keys stay valid until {until} (unix seconds); hand this entry to every peer before");
            }
        }
        PeerCommand::RevokeOwn { key_id, reason, out } => {
            let revoked = app.revoke_own_key(Acting::Operator, &key_id, &reason).await?;
            write_entry(out.as_deref(), &revoked.entry_json)?;
            println!("{}", revoked.entry_json);
            println!("revoked {} key id: {} at {} (unix seconds)", revoked.kind, revoked.key_id, revoked.revoked_at);
            println!("sequence: {}", revoked.sequence);
            if revoked.announced_to.is_empty() {
                println!("no peer is pinned: nobody to tell");
            }
            for peer in &revoked.announced_to {
                println!("announced to: {peer} (queued in the outbox)");
            }
        }
        PeerCommand::RetireOwn { out } => {
            let retired = app.retire_own_keys(Acting::Operator).await?;
            write_entry(out.as_deref(), &retired.entry_json)?;
            println!("{}", retired.entry_json);
            println!("sequence: {}", retired.sequence);
            if retired.retired.is_empty() {
                println!("no key of this instance has passed its overlap: nothing retired");
            }
            for key in &retired.retired {
                println!("retired key id: {key}");
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
        peer: PeerCommand,
    }

    fn parse(args: &[&str]) -> Result<PeerCommand, clap::Error> {
        Cli::try_parse_from(std::iter::once("peer").chain(args.iter().copied())).map(|c| c.peer)
    }

    #[test]
    fn peer_subcommands_parse_with_their_arguments() {
        assert_eq!(
            parse(&["self", "--instance-id", "LV", "--endpoint", "https://lv.example/x"]).unwrap(),
            PeerCommand::Own {
                instance_id: Some("LV".into()),
                role: "national_focal_point".into(),
                endpoint: Some("https://lv.example/x".into()),
                out: None,
            }
        );
        assert_eq!(
            parse(&["add", "ee.json", "--signing-key-id", "abc"]).unwrap(),
            PeerCommand::Add { file: "ee.json".into(), signing_key_id: "abc".into() }
        );
        assert_eq!(parse(&["list"]).unwrap(), PeerCommand::List);
        assert_eq!(
            parse(&["rotate-own", "--overlap-days", "30"]).unwrap(),
            PeerCommand::RotateOwn { overlap_days: 30, out: None }
        );
        assert_eq!(parse(&["rotate-own"]).unwrap(), PeerCommand::RotateOwn { overlap_days: 14, out: None });
        assert_eq!(parse(&["retire-own"]).unwrap(), PeerCommand::RetireOwn { out: None });
        assert_eq!(
            parse(&["revoke-own", "abc", "--reason", "the laptop was stolen"]).unwrap(),
            PeerCommand::RevokeOwn { key_id: "abc".into(), reason: "the laptop was stolen".into(), out: None }
        );
        assert!(parse(&["revoke-own", "abc"]).is_err(), "a revocation without a reason does not parse");
        assert_eq!(
            parse(&["revoke", "EE", "abc"]).unwrap(),
            PeerCommand::Revoke { instance: "EE".into(), key_id: "abc".into() }
        );
    }

    #[test]
    fn adding_a_peer_without_the_confirmed_key_id_does_not_parse() {
        let err = parse(&["add", "ee.json"]).unwrap_err();
        assert!(err.to_string().contains("--signing-key-id"), "{err}");
        assert!(parse(&["revoke", "EE"]).is_err());
    }

    // A key id is base64url, so one in 64 begins with `-`: it is a value, not an option.
    const DASHED: &str = "-ajhQ4UV4fDBOn8KnmDXtrGGKaFRvKt_rCgJyRgZe3Y";

    #[test]
    fn key_ids_beginning_with_a_dash_are_values_in_every_peer_command() {
        assert_eq!(
            parse(&["add", "ee.json", "--signing-key-id", DASHED]).unwrap(),
            PeerCommand::Add { file: "ee.json".into(), signing_key_id: DASHED.into() }
        );
        assert_eq!(
            parse(&["revoke", "EE", DASHED]).unwrap(),
            PeerCommand::Revoke { instance: "EE".into(), key_id: DASHED.into() }
        );
        let revoked = PeerCommand::RevokeOwn { key_id: DASHED.into(), reason: "lost laptop".into(), out: None };
        assert_eq!(parse(&["revoke-own", DASHED, "--reason", "lost laptop"]).unwrap(), revoked);
        assert_eq!(parse(&["revoke-own", "--reason", "lost laptop", DASHED]).unwrap(), revoked);
        assert!(parse(&["add", "ee.json", "--signing-key-id"]).is_err(), "a missing key id is still an error");
        assert!(parse(&["revoke-own", "--reason", "x"]).is_err());
    }
}
