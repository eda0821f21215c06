//! The `zongjie` command line, built inside the end-to-end test package so the
//! tests run exactly the glue of `crates/zongjie/src/main.rs` over the same
//! library, compiled with the same dependency features as the tests themselves.

use std::process::ExitCode;

fn main() -> ExitCode {
    zongjie::cli::main()
}
