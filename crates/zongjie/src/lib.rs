//! zongjie: the command line over the parse and aggregate crates.
//!
//! - [`cli`]: argument parsing (clap) and dispatch; exit codes 0 ok, 1 failure, 2 bad usage.
//! - [`cmd`]: one module per subcommand, each with its `Args` and a `run` function.
//!
//! The binary (`main.rs`) only calls [`cli::main`].

pub mod cli;
pub mod cmd;
pub mod export;
