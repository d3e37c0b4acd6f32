use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "haven", version, about = "Haven: the platform against trafficking in human beings")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Record linkage: find the same person across datasets.
    Link(haven_link::cli::LinkArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Link(args) => haven_link::cli::run(args),
    }
}
