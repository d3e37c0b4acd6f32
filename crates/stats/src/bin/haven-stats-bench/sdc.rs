//! placeholder
use clap::Args as ClapArgs;
#[derive(ClapArgs)]
pub struct Args {}
pub fn run(_a: Args) -> Result<(), String> {
    Ok(())
}
