//! zongjie: the command line over the parse and aggregate crates.
//!
//! - [`cli`]: argument parsing (clap) and dispatch; exit codes 0 ok, 1 failure, 2 bad usage.
//! - [`cmd`]: one module per subcommand, each with its `Args` and a `run` function.
//!
//! The binary (`main.rs`) only calls [`cli::main`].

pub mod batch;
pub mod cache;
pub mod chart;
pub mod cli;
pub mod cmd;
pub mod export;
pub mod free_on_origin;
pub mod fsutil;
pub mod inputs;
pub mod jsonl;
pub mod manifest;
pub mod output;
pub mod progress;
pub mod report_html;
pub mod synth;
