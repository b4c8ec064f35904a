//! Criterion benchmarks for phirewall; the code lives in `benches/detect.rs` and
//! `benches/deid.rs`.
//!
//! Run them with `cargo bench -p phirewall-benches` (about a minute on two cores once built).
//! For a quick figure without criterion, `phirewall bench` measures detection from the CLI, and
//! `/usr/bin/time -v phirewall deid ...` de-identification end to end.
