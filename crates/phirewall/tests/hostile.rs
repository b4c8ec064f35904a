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

/// Runs a large `text` through the surrogate preset only (every preset runs the same detection;
/// this one does the most work per finding), checking the splice; returns the output. The
/// large inputs use it to keep the test quick in debug builds.
fn deid_one(text: &str) -> String {
    let (_, d) = presets()
        .iter()
        .find(|(n, _)| *n == "surrogate")
        .expect("the surrogate preset");
    let out = d.deidentify(text, Some(PATIENT)).expect("valid input");
    let (mut src, mut dst) = (0, 0);
    for r in &out.replacements {
        assert_eq!(
            text.get(src..r.source.start),
            out.text.get(dst..r.output.start)
        );
        src = r.source.end;
        dst = r.output.end;
    }
    assert_eq!(text.get(src..), out.text.get(dst..));
    out.text
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

/// A single 10 MB token: no panic, no finding (it is no identifier of any shape), and the
/// de-identified text is the input. Letters only, then letters and digits.
#[test]
fn a_ten_megabyte_token() {
    let letters = "a".repeat(10_000_000);
    assert!(engine().detect(&letters).is_empty());
    assert!(deid_one(&letters) == letters);
    let alnum = "x7Q2".repeat(2_500_000);
    // A 10 MB token right after a cue: the cue's value pattern is bounded, so no finding
    // swallows the token, and the identifier after it is still found.
    let text = format!("MRN: {alnum} then MRN: 00123456.");
    let found = found(&text);
    assert_eq!(found, [(Kind::Mrn, "00123456")]);
}

/// A million cue words without their values: it finishes, finds nothing in them, and the one
/// real identifier after them is found at its place. (On the same line, "Dr. MRN" is read as
/// a title and a name, so the identifier goes on the next line.)
#[test]
fn a_million_cue_words() {
    for (cue, times) in [
        ("MRN ", 1_000_000),
        ("SSN: ", 100_000),
        ("Dr. ", 100_000),
        ("lives in ", 100_000),
        ("DOB ", 100_000),
    ] {
        let mut text = cue.repeat(times);
        text.push_str("\nMRN: 00123456");
        let findings = engine().detect(&text);
        assert_eq!(findings.len(), 1, "{cue:?}");
        assert_eq!(findings[0].kind, Kind::Mrn);
        assert_eq!(findings[0].span.start, text.len() - "00123456".len());
    }
    // Eleven cue words mixed, a million in all, as one line: well-formed, and de-identified.
    let mixed = "Dr. MRN: SSN Tel fax DOB lives in admitted to Mr. Pt: Name: ".repeat(91_000);
    assert_well_formed(&mixed, &engine().detect(&mixed));
    deid_one(&mixed);
}

/// Only digits (one run, and groups), only punctuation: no finding where no identifier can be,
/// and well-formed findings where digit groups could be phone numbers.
#[test]
fn only_digits_or_only_punctuation() {
    let run = "0123456789".repeat(100_000);
    assert!(
        engine().detect(&run).is_empty(),
        "a 1 MB number is no identifier"
    );
    let punct = ".,;:-/()#*!?'\"[]{}<>|\\_+=~`@$%^&".repeat(30_000);
    assert!(engine().detect(&punct).is_empty());
    assert!(deid_one(&punct) == punct);
    // Digit groups: whatever is found is well-formed, and de-identification succeeds.
    let groups = "617 555 0199 12 3/4 5-6 ".repeat(40_000);
    assert_well_formed(&groups, &engine().detect(&groups));
    deid_one(&groups);
    // Short ones through every preset.
    for text in [
        "0123456789".repeat(100),
        ".,;:-/()".repeat(100),
        "617 555 0199 12 3/4 ".repeat(50),
    ] {
        deid_all(&text);
    }
}

/// NUL bytes are ordinary non-word characters: identifiers between them are found at their
/// offsets, and text of NULs alone has no finding.
#[test]
fn nul_bytes() {
    let text = "\0MRN: 00123456\0Call 617-555-0199\0\0SSN 219-09-9999\0";
    assert_eq!(
        found(text),
        [
            (Kind::Mrn, "00123456"),
            (Kind::Phone, "617-555-0199"),
            (Kind::Ssn, "219-09-9999")
        ]
    );
    let spaced = text.replace('\0', " ");
    let a: Vec<_> = engine().detect(text).iter().map(|f| f.span).collect();
    let b: Vec<_> = engine().detect(&spaced).iter().map(|f| f.span).collect();
    assert_eq!(a, b, "NUL and space separate alike");
    for (_, out) in deid_all(text) {
        assert_eq!(out.matches('\0').count(), 5, "NULs around values are kept");
    }
    let nuls = "\0".repeat(1_000_000);
    assert!(engine().detect(&nuls).is_empty());
    assert!(deid_one(&nuls) == nuls);
}

/// Bidi controls (RLO, PDF, isolates, RLM) inside and around identifiers are dropped for
/// detection: the identifier is found, and its span covers the controls inside it. Hebrew and
/// Arabic text around it changes nothing.
#[test]
fn rtl_and_bidi_controls() {
    let phone = "617-555\u{202E}-0199";
    let text =
        format!("\u{5D4}\u{5DE}\u{5D8}\u{5D5}\u{5E4}\u{5DC} call {phone} \u{627}\u{644}\u{645}");
    assert_eq!(found(&text), [(Kind::Phone, phone)]);
    let mrn = "\u{2067}00123456\u{2069}";
    let text = format!("MRN: {mrn} \u{200F}today");
    // The isolate before the number is dropped, so the value starts at the first digit and
    // ends at the last; the controls outside it stay outside.
    assert_eq!(found(&text), [(Kind::Mrn, "00123456")]);
    let ssn = "219-\u{202B}09-\u{202C}9999";
    let text = format!("SSN {ssn}.");
    assert_eq!(found(&text), [(Kind::Ssn, ssn)]);
    for (name, out) in deid_all(&text) {
        assert!(!out.contains("9999"), "{name}: {out}");
    }
}

/// Zero-width characters inside an SSN, a phone number and a name: found, and the span covers
/// the whole disguised value in the original text.
#[test]
fn zero_width_inside_identifiers() {
    let ssn = "219\u{200B}-09-99\u{200C}99";
    let phone = "(617)\u{2060} 555-\u{FEFF}0199";
    let name = "Sm\u{200D}ith";
    let text = format!("SSN {ssn}. Call {phone}. Seen by Dr. {name} today.");
    let found = found(&text);
    assert!(found.contains(&(Kind::Ssn, ssn)), "{found:?}");
    assert!(found.contains(&(Kind::Phone, phone)), "{found:?}");
    assert!(found.contains(&(Kind::Name, name)), "{found:?}");
    let plain = "SSN 219-09-9999. Call (617) 555-0199. Seen by Dr. Smith today.";
    let kinds = |t: &str| {
        engine()
            .detect(t)
            .iter()
            .map(|f| f.kind)
            .collect::<Vec<_>>()
    };
    assert_eq!(kinds(&text), kinds(plain));
    for (name_, out) in deid_all(&text) {
        assert!(
            !out.contains("9999") && !out.contains("0199"),
            "{name_}: {out}"
        );
        assert!(!out.contains("ith"), "{name_}: the name survived: {out}");
    }
}

/// Full-width digits: a phone number, an SSN and a date are found at their original offsets.
#[test]
fn full_width_digits() {
    let phone =
        "\u{FF16}\u{FF11}\u{FF17}-\u{FF15}\u{FF15}\u{FF15}-\u{FF10}\u{FF11}\u{FF14}\u{FF12}";
    let text = format!("Fax results to {phone} today.");
    let findings = engine().detect(&text);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].kind, Kind::Fax);
    assert_eq!(findings[0].span.start, "Fax results to ".len());
    assert_eq!(&text[findings[0].span.range()], phone);
    // Mixed full-width and ASCII digits in one number.
    let mixed = "617-\u{FF15}55-01\u{FF19}9";
    assert_eq!(found(&format!("call {mixed}")), [(Kind::Phone, mixed)]);
}

/// Cyrillic and Greek letters that look Latin, in a name and in a cue word: found as the Latin
/// spelling would be, at the original offsets.
#[test]
fn homoglyph_letters() {
    // "Smith" with a Cyrillic S and i; "MRN" with a Cyrillic M; "Dr" with a Greek-free D.
    let name = "\u{405}m\u{456}th";
    let text = format!("Seen by Dr. {name} today. \u{41C}RN: 00123456.");
    assert_eq!(found(&text), [(Kind::Name, name), (Kind::Mrn, "00123456")]);
    for (preset, out) in deid_all(&text) {
        assert!(!out.contains(name), "{preset}: {out}");
        assert!(!out.contains("00123456"), "{preset}: {out}");
    }
}

/// A note with CRLF line ends, one with CRLF and LF mixed, and one with lone CRs (old Mac line
/// ends) among them, gives the same findings as with LF, at offsets shifted by the CRLFs before
/// them.
#[test]
fn crlf_and_mixed_newlines() {
    let lf = "Admitted 03/04/2021 from Mercy Hospital.\n\
Pt: John Smith, 92 yo M, MRN: 00123456.\n\
Call (617) 555-0199 or fax 617-555-0142.\n\
SSN 219-09-9999\n\
Dr. Alice Jones, NPI 1234567893\n\
Email j.smith@example.org\n";
    let want = found(lf);
    assert!(
        want.len() >= 9,
        "the note has identifiers of many kinds: {want:?}"
    );
    let lf_findings = engine().detect(lf);
    for (label, ends) in [
        ("crlf", vec!["\r\n"; 6]),
        ("mixed", vec!["\r\n", "\n", "\r\n", "\n", "\r\n", "\n"]),
        ("lone cr", vec!["\r", "\r\n", "\r", "\n", "\r", "\r"]),
    ] {
        let mut text = String::new();
        for (line, end) in lf.lines().zip(&ends) {
            text.push_str(line);
            text.push_str(end);
        }
        let got = engine().detect(&text);
        assert_eq!(got.len(), lf_findings.len(), "{label}");
        for (g, w) in got.iter().zip(&lf_findings) {
            // Each CRLF before the finding shifts it by one byte; a lone CR replaces its LF.
            let shift = text[..g.span.start].matches("\r\n").count();
            assert_eq!(g.kind, w.kind, "{label}");
            assert_eq!(g.span.start, w.span.start + shift, "{label}");
            assert_eq!(g.span.len(), w.span.len(), "{label}");
        }
        for (preset, out) in deid_all(&text) {
            assert_eq!(
                out.matches('\r').count(),
                text.matches('\r').count(),
                "{preset}"
            );
        }
    }
}
