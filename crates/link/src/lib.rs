//! Person-level record linkage (placeholder until the engine lands).
pub mod cli {
    /// Arguments of `haven link`.
    #[derive(Debug, clap::Args)]
    pub struct LinkArgs {}

    /// Runs `haven link`.
    pub fn run(_args: LinkArgs) -> anyhow::Result<()> {
        anyhow::bail!("record linkage is not available yet")
    }
}
