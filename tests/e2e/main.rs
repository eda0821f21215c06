//! End-to-end tests of the `zongjie` binary: real files in, real outputs checked.

mod bad_inputs;
mod browser;
mod cli;
mod escaping;
mod gold;
mod parquet_types;
mod sample;
mod scale;
mod seeds;
mod stdin_jsonl;
mod tables;
mod util;
