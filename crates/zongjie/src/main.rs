//! The `zongjie` binary: glue only; everything lives in the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    zongjie::cli::main()
}
