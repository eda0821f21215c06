//! One module per subcommand. Each exposes `XxxArgs` (clap) and
//! `run(&XxxArgs, &Global) -> anyhow::Result<ExitCode>`.

pub mod chart;
pub mod compare;
pub mod extract;
pub mod gen_corpus;
pub mod inspect;
pub mod merge;
pub mod report;
