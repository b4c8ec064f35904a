//! Runs `Engine::detect` over a synthetic corpus a given number of times, for instruction
//! counts that do not depend on the machine's load:
//!
//! ```sh
//! cargo build --release -p phirewall-benches --example passes
//! valgrind --tool=callgrind target/release/examples/passes 1 patterns
//! valgrind --tool=callgrind target/release/examples/passes 3 patterns
//! ```
//!
//! Half the difference of the two totals is the cost of one pass over the corpus (4 MB of
//! `phirewall_synth::corpus(_, 1)`, one `detect` call per note) without the engine build and the
//! lazy DFA's warm-up. `patterns` restricts the engine to the pattern-shaped kinds; `full` (the
//! default) runs every kind.

use phirewall::{Engine, Kind};

const CORPUS_BYTES: usize = 4_000_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let passes: usize = args.next().as_deref().unwrap_or("1").parse()?;
    let patterns_only = match args.next().as_deref() {
        None | Some("full") => false,
        Some("patterns") => true,
        Some(_) => return Err("the second argument is `full` or `patterns`".into()),
    };
    let corpus = phirewall_synth::corpus(CORPUS_BYTES, 1);
    let notes: Vec<&str> = corpus.split("\n\n").collect();
    let mut builder = Engine::builder();
    if patterns_only {
        builder = builder.kinds(Kind::ALL.iter().copied().filter(|k| !k.is_word_level()));
    }
    let engine = builder.build()?;
    let mut findings = 0;
    for _ in 0..passes {
        for note in &notes {
            findings += std::hint::black_box(engine.detect(note)).len();
        }
    }
    println!(
        "{passes} passes over {} notes: {findings} findings",
        notes.len()
    );
    Ok(())
}
