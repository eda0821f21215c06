//! `zongjie inspect` (being wired to the parser).

use std::process::ExitCode;

use crate::cli::Global;

/// Arguments of `zongjie inspect`.
#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// Input files or folders.
    pub inputs: Vec<std::path::PathBuf>,
}

/// Run the command.
pub fn run(_args: &InspectArgs, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("inspect is not wired yet")
}
