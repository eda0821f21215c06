//! `zongjie extract` (being wired to the parser).

use std::process::ExitCode;

use crate::cli::Global;

/// Arguments of `zongjie extract`.
#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// Input files or folders.
    pub inputs: Vec<std::path::PathBuf>,
}

/// Run the command.
pub fn run(_args: &ExtractArgs, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("extract is not wired yet")
}
