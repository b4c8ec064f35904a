//! Hostile input: text built to break, slow down or fool the engine and the de-identifier.
//!
//! Every input gets a correct result where one is defined (the identifier found at its original
//! offsets, the same findings as the plain spelling), and otherwise a bounded, well-formed
//! result; nothing panics. Timing is measured by `phirewall-benches` (`hostile` bench), not here.
//!
//! All values are synthetic; identifiers use reserved ranges where they exist.

use std::sync::OnceLock;

use phirewall::{Deidentifier, Engine, Finding, Kind, Policy, Secret};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new().expect("the default engine builds"))
}

const SECRET: &[u8] = b"hostile input test secret 0001";
const PATIENT: &str = "hostile-patient-1";

/// One de-identifier per preset, built once.
fn presets() -> &'static [(&'static str, Deidentifier)] {
    static PRESETS: OnceLock<Vec<(&'static str, Deidentifier)>> = OnceLock::new();
    PRESETS.get_or_init(|| {
        phirewall::PRESETS
            .iter()
            .map(|name| {
                let policy = Policy::preset(name).expect("a known preset");
                let secret = Secret::new(SECRET.to_vec()).expect("long enough");
                let deid = Deidentifier::new(engine().clone(), policy, Some(secret))
                    .expect("presets are valid");
                (*name, deid)
            })
            .collect()
    })
}

/// The findings as (kind, text) pairs.
fn found(text: &str) -> Vec<(Kind, &str)> {
    engine()
        .detect(text)
        .iter()
        .map(|f| (f.kind, &text[f.span.range()]))
        .collect()
}

/// Spans inside the text, on character boundaries, sorted and disjoint.
fn assert_well_formed(text: &str, found: &[Finding]) {
    let mut last = 0;
    for f in found {
        assert!(f.span.start >= last && f.span.start < f.span.end && f.span.end <= text.len());
        assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
        last = f.span.end;
    }
}

/// Runs `text` through every preset: it must succeed, and every replacement's source span must
/// be a finding of the engine. Returns the outputs by preset name.
fn deid_all(text: &str) -> Vec<(&'static str, String)> {
    let found = engine().detect(text);
    assert_well_formed(text, &found);
    presets()
        .iter()
        .map(|(name, d)| {
            let out = d
                .deidentify(text, Some(PATIENT))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            for r in &out.replacements {
                assert!(
                    found.iter().any(|f| f.span == r.source && f.kind == r.kind),
                    "{name}: a replacement that is no finding"
                );
                assert!(out.text.get(r.output.range()).is_some(), "{name}");
            }
            (*name, out.text)
        })
        .collect()
}

/// Full-width digits are folded for detection, and the operators read the folded value too: a
/// surrogate or a shifted date must not copy full-width digits through (they are not ASCII
/// digits, so a shape-keeping surrogate used to leave them as they were).
#[test]
fn full_width_identifiers_are_replaced_not_copied() {
    let ssn = "\u{FF12}\u{FF11}\u{FF19}-\u{FF10}\u{FF19}-\u{FF19}\u{FF19}\u{FF19}\u{FF19}";
    let phone =
        "(\u{FF16}\u{FF11}\u{FF17}) \u{FF15}\u{FF15}\u{FF15}-\u{FF10}\u{FF11}\u{FF19}\u{FF19}";
    let date = "\u{FF10}\u{FF13}/\u{FF10}\u{FF14}/\u{FF12}\u{FF10}\u{FF12}\u{FF11}";
    let text = format!("SSN {ssn}. Call {phone}. Seen {date}.");
    assert_eq!(
        found(&text),
        [(Kind::Ssn, ssn), (Kind::Phone, phone), (Kind::Date, date)]
    );
    for (name, out) in deid_all(&text) {
        assert!(
            !out.chars().any(|c| ('\u{FF10}'..='\u{FF19}').contains(&c)),
            "{name}: full-width digits survived: {out}"
        );
    }
    // The surrogate of the full-width spelling is the surrogate of the ASCII one, and the date
    // is shifted (not tagged) as the ASCII date is.
    let ascii = "SSN 219-09-9999. Call (617) 555-0199. Seen 03/04/2021.";
    let plain = deid_all(ascii);
    assert_eq!(deid_all(&text), plain);
}
