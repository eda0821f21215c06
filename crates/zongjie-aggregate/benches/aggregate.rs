//! Benchmarks of the comparison tables (filled in below).

fn main() {}
