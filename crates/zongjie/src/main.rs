//! The `zongjie` binary: glue only; everything lives in the library.

use std::process::ExitCode;

/// Parsing allocates many small short-lived strings per document on every
/// worker thread; mimalloc serves them from thread-local pages.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    zongjie::cli::main()
}
