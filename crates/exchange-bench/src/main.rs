//! `haven-exchange-bench`: the simulation of the transnational exchange (see the library),
//! printing its report as JSON on standard output and its progress on standard error.

use anyhow::Result;
use clap::Parser;
use haven_exchange_bench::{Config, run};

#[derive(Parser)]
#[command(
    about = "27 national instances and the EU hub exchange referrals and statistics, peers down part of the time"
)]
struct Args {
    /// How many referrals.
    #[arg(long, default_value_t = 10_000)]
    referrals: usize,
    /// The countries (ISO codes, comma-separated); the 27 member states by default.
    #[arg(long, value_delimiter = ',')]
    countries: Vec<String>,
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// The chance per pass that a peer that is up goes down.
    #[arg(long, default_value_t = 0.03)]
    p_down: f64,
    /// The chance per pass that a peer that is down comes back.
    #[arg(long, default_value_t = 0.15)]
    p_up: f64,
    /// The chance that a receiver's answer is lost on the way back.
    #[arg(long, default_value_t = 0.01)]
    lose_answer: f64,
    /// Accept without assigning an organisation (no `organisation_assigned` update).
    #[arg(long)]
    no_assign: bool,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let mut config = Config::eu(args.referrals);
    if !args.countries.is_empty() {
        config.countries = args.countries.iter().map(|c| c.trim().to_uppercase()).collect();
    }
    config.seed = args.seed;
    config.p_down = args.p_down;
    config.p_up = args.p_up;
    config.lose_answer = args.lose_answer;
    config.assign_organisation = !args.no_assign;
    let report = run(&config, &|line| eprintln!("{line}")).await?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    if !report.checks.passed {
        anyhow::bail!("the checks failed: {:?}", report.checks);
    }
    Ok(())
}
