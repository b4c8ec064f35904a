//! Fuzzes the command line's record readers (`phirewall_cli::input`) on arbitrary bytes: JSON
//! Lines chunking and object parsing, `known` objects, and CSV rows. Every input must give a
//! record or a reason, never a panic, and line numbers must only grow.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../cli_checks.rs"]
mod cli_checks;

fuzz_target!(|data: &[u8]| cli_checks::cli_input(data));
