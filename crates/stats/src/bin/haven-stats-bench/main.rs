//! Benchmarks of the statistics crate, one subcommand per part (`sdc`: disclosure control).

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
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.cmd {
        Cmd::Sdc(args) => sdc::run(args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
