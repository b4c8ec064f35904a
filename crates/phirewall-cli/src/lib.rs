//! The parts of the `phirewall` command line that other code drives directly: the record readers
//! (JSON Lines and CSV, in bounded chunks, with a reason for every rejected record), used by
//! `phirewall detect` and `phirewall deid` and by the `cli_input` fuzz target.

pub mod input;
