//! Linear time on hostile input: each input built at 1 MB and at 10 MB, timed through
//! `Engine::detect`, with the ratio of the two times. Linear growth gives a ratio near 10.
//!
//! ```sh
//! cargo bench -p phirewall-benches --bench hostile
//! cargo bench -p phirewall-benches --bench hostile -- cue_mrn one_line   # only these inputs
//! ```
//!
//! Criterion is not used: one 10 MB run already takes long enough to time with a clock, and a
//! super-linear input would take minutes per sample. Each size is timed `RUNS` times and the
//! fastest run is kept (the machine is shared; the minimum is the least disturbed run). An
//! input whose 1 MB run exceeds `SLOW` is reported and its 10 MB run skipped, so a quadratic
//! case shows up as a line in the table instead of a run that never ends.
//!
//! The correctness of the results on these inputs is tested in `crates/phirewall/tests/hostile.rs`;
//! this only measures time.

use std::hint::black_box;
use std::time::{Duration, Instant};

use phirewall::{Deidentifier, Engine, Policy};

const MB: usize = 1_000_000;
const RUNS: usize = 3;
const SLOW: Duration = Duration::from_secs(5);

/// `unit` repeated until the text is `bytes` long (cut on a character boundary).
fn repeat(unit: &str, bytes: usize) -> String {
    let mut s = unit.repeat(bytes / unit.len() + 1);
    let mut end = bytes.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s
}

/// The hostile inputs, by name, built at `bytes`.
fn inputs(bytes: usize) -> Vec<(&'static str, String)> {
    let notes = phirewall_synth::corpus(bytes, 7);
    vec![
        // A single token: one word of letters, one of letters and digits.
        ("token_letters", "a".repeat(bytes)),
        ("token_alnum", repeat("x7Q2", bytes)),
        // Cue words, repeated without the values they announce.
        ("cue_mrn", repeat("MRN ", bytes)),
        (
            "cue_mix",
            repeat(
                "Dr. MRN: SSN Tel fax DOB lives in admitted to Mr. Pt: Name: ",
                bytes,
            ),
        ),
        ("cue_titles", repeat("Dr. ", bytes)),
        // Only digits: one run, and numbers that look like phone pieces.
        ("digits_run", repeat("0123456789", bytes)),
        ("digit_groups", repeat("617 555 0199 12 ", bytes)),
        // Only punctuation, and only NUL bytes.
        ("punctuation", repeat(".,;:-/()#*", bytes)),
        ("nul", "\0".repeat(bytes)),
        // Identifiers wrapped in bidi controls, next to Hebrew text.
        (
            "bidi",
            repeat("\u{202E}617-555-0199\u{202C} \u{5D0}\u{5D1}\u{5D2} \u{2067}Smith\u{2069} ", bytes),
        ),
        // Zero-width characters inside identifiers and names (the folded path).
        (
            "zero_width",
            repeat("SSN 219-09-\u{200B}9999, Dr. Sm\u{200D}ith, call 617\u{FEFF}-555-0199. ", bytes),
        ),
        (
            "full_width",
            repeat("\u{FF16}\u{FF11}\u{FF17}-\u{FF15}\u{FF15}\u{FF15}-\u{FF10}\u{FF11}\u{FF19}\u{FF19} ", bytes),
        ),
        ("homoglyph", repeat("Dr. \u{405}mith \u{41C}RN: 00123456 ", bytes)),
        // Realistic notes: with CRLF, and with every line break removed (one long line).
        ("notes_crlf", notes.replace('\n', "\r\n")),
        ("notes_one_line", notes.replace('\n', " ")),
        // Capitalized words that could all be names (propagation across one document).
        ("capitalized", repeat("John Smith Mary Jones ", bytes)),
    ]
}

fn fastest(f: impl Fn()) -> Duration {
    (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    // `cargo bench` passes `--bench`; other arguments select inputs by name.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let engine = Engine::new().expect("the default engine builds");
    let deid = Deidentifier::new(engine.clone(), Policy::safe_harbor(), None)
        .expect("the safe-harbor preset needs no secret");
    let small = inputs(MB);
    let large = inputs(10 * MB);
    println!(
        "{:<16} {:>10} {:>10} {:>7} {:>8} {:>11}",
        "input", "1 MB", "10 MB", "ratio", "MB/s@10", "findings@10"
    );
    for ((name, one), (_, ten)) in small.iter().zip(&large) {
        if !only.is_empty() && !only.iter().any(|o| o == name) {
            continue;
        }
        let t1 = fastest(|| {
            black_box(engine.detect(black_box(one)));
        });
        if t1 > SLOW {
            println!(
                "{name:<16} {:>9.3}s {:>10} (super-linear? 10 MB skipped)",
                t1.as_secs_f64(),
                "-"
            );
            continue;
        }
        let t10 = fastest(|| {
            black_box(engine.detect(black_box(ten)));
        });
        let findings = engine.detect(ten).len();
        println!(
            "{name:<16} {:>9.3}s {:>9.3}s {:>7.1} {:>8.1} {:>11}",
            t1.as_secs_f64(),
            t10.as_secs_f64(),
            t10.as_secs_f64() / t1.as_secs_f64(),
            ten.len() as f64 / MB as f64 / t10.as_secs_f64(),
            findings
        );
    }
    // De-identification adds one pass over the findings; check it stays linear too, on the
    // input with the most findings per byte.
    let pick = |v: &[(&'static str, String)]| {
        v.iter()
            .find(|(n, _)| *n == "digit_groups")
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    };
    let (one, ten) = (pick(&small), pick(&large));
    if only.is_empty() {
        let t1 = fastest(|| {
            black_box(deid.deidentify(black_box(&one), None).ok());
        });
        let t10 = fastest(|| {
            black_box(deid.deidentify(black_box(&ten), None).ok());
        });
        println!(
            "{:<16} {:>9.3}s {:>9.3}s {:>7.1}   (deidentify, safe-harbor, digit_groups)",
            "deid",
            t1.as_secs_f64(),
            t10.as_secs_f64(),
            t10.as_secs_f64() / t1.as_secs_f64()
        );
    }
}
