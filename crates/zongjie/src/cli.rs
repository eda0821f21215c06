//! Command-line parsing and dispatch.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::cmd;

/// zongjie turns Chinese science-and-technology bureau work reports (科技局工作总结)
/// into comparable data — documents, facts with their sentences, comparison
/// tables — and renders the comparison as SVG charts and a report.
#[derive(Debug, Parser)]
#[command(name = "zongjie", version, propagate_version = true)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: Global,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every command.
#[derive(Debug, Clone, clap::Args)]
pub struct Global {
    /// Print nothing but errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

/// The subcommands, in data-flow order.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Raw reports → documents, facts and manifest (Parquet + CSV).
    Extract(cmd::extract::ExtractArgs),
    /// One report as the parser sees it: cleaning, sections, region and period evidence, facts.
    Inspect(cmd::inspect::InspectArgs),
    /// Comparison tables from an extract folder: coverage, indicators, change, ranking, quality.
    Compare(Box<cmd::compare::CompareArgs>),
    /// One SVG chart of the comparison tables.
    Chart(cmd::chart::ChartArgs),
    /// Raw reports → a report folder: HTML, Markdown, SVG charts, tables, evidence.
    Report(cmd::report::ReportArgs),
    /// Combine the outputs of `extract --shard K/N` runs into one dataset.
    Merge(cmd::merge::MergeArgs),
    /// Write a deterministic synthetic corpus with ground truth, for benchmarks.
    GenCorpus(cmd::gen_corpus::GenCorpusArgs),
}

/// Parse the command line, run the command, and map the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Extract(args) => cmd::extract::run(args, &cli.global),
        Command::Inspect(args) => cmd::inspect::run(args, &cli.global),
        Command::Report(args) => cmd::report::run(args, &cli.global),
        Command::Merge(args) => cmd::merge::run(args, &cli.global),
        Command::GenCorpus(args) => cmd::gen_corpus::run(args, &cli.global),
        Command::Chart(args) => cmd::chart::run(args, &cli.global),
        Command::Compare(args) => cmd::compare::run(args, &cli.global),
    };
    match outcome {
        Ok(code) => code,
        Err(err) => {
            eprintln!("zongjie: error: {err:#}");
            ExitCode::from(1)
        }
    }
}
