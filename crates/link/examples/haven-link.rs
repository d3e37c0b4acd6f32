//! The `haven link` command on its own, for trying the engine without building the whole
//! platform: `cargo run --release -p haven-link --example haven-link -- dedupe --help`.

use clap::Parser;

#[derive(Parser)]
#[command(name = "haven-link", about = "Record linkage: find the same person across datasets")]
struct Command {
    #[command(flatten)]
    link: haven_link::cli::LinkArgs,
}

fn main() -> anyhow::Result<()> {
    haven_link::cli::run(Command::parse().link)
}
