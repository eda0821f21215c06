//! The `zongjie` binary: glue only; everything lives in the library.

use std::process::ExitCode;

/// Parsing allocates many small short-lived strings per document on every
/// worker thread; mimalloc serves them from thread-local pages. Built without
/// transparent huge pages (feature `no_thp`): with them the kernel zeroed
/// 2 MB pages the allocator barely used, 6–7 % of a run's time and ~35 MB of
/// resident memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    zongjie::cli::main()
}
