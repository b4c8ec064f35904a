//! Criterion benchmarks for phirewall; the code lives in `benches/detect.rs`.
//!
//! Run them with `cargo bench -p phirewall-benches` (about a minute on two cores once built).
//! For a quick figure without criterion, `phirewall bench` measures the same thing from the CLI.
