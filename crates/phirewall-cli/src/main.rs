//! The `phirewall` command-line tool (being written).
fn main() {}
