//! Benchmarks of the statistics crate, one subcommand per part (`sdc`: disclosure control).

mod dp;
mod sdc;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Benchmarks of haven-stats")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Disclosure control: secondary suppression and the LP audit.
    Sdc(sdc::Args),
    /// Differential privacy: a release of the national tables, timed, and the counts for OpenDP.
    Dp(dp::Args),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.cmd {
        Cmd::Sdc(args) => sdc::run(args),
        Cmd::Dp(args) => dp::run(args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
