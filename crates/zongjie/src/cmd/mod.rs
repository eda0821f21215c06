//! One module per subcommand. Each exposes `XxxArgs` (clap) and
//! `run(&XxxArgs, &Global) -> anyhow::Result<ExitCode>`.

pub mod compare;
pub mod extract;
pub mod inspect;
