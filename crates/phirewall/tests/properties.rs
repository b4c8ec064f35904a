//! Property tests: invariants that must hold for every input.

use phirewall::{Engine, Finding, Kind};
use proptest::prelude::*;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new().expect("engine builds"))
}

/// An engine reporting only the pattern-shaped kinds.
fn pattern_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::builder()
            .kinds(Kind::ALL.iter().copied().filter(|k| !k.is_word_level()))
            .build()
            .expect("engine builds")
    })
}

/// Pieces of clinical-looking text: identifiers of every family, near-misses, numbers, units,
/// punctuation, non-ASCII and invisible characters, glued together in random order.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            " ",
            "\n",
            "\r\n",
            "\t",
            ", ",
            ". ",
            ": ",
            "/",
            "-",
            "(",
            ")",
            "#",
            "92 yo",
            "age 97",
            "3/4/21",
            "03/04/2021",
            "2021-03-04",
            "March 4th",
            "Mar 2021",
            "BP 120/80",
            "Apgar 8/9",
            "(617) 555-0123",
            "fax 617-555-0144",
            "SSN 123-45-6789",
            "MRN: 00123456",
            "x@example.org",
            "https://example.org/a?b=1",
            "192.0.2.17",
            "2001:db8::1",
            "4111 1111 1111 1111",
            "VIN 1M8GDM9AXKP042788",
            "S/N AB12345",
            "Boston, MA 02114",
            "25 mg",
            "K 3.9",
            "14:30",
            "2130",
            "I10",
            "E11.9",
            "99213",
            "0002-3227-30",
            "1992",
            "José",
            "東京",
            "\u{200B}",
            "\u{FF11}\u{FF12}",
            "\u{202E}",
            "\0",
            "é",
            "😀",
            "Dr.",
            "MAY",
            "may",
            "12/31",
        ])
        .prop_map(str::to_owned),
        "[0-9]{1,12}",
        "[A-Za-z]{1,10}",
        any::<char>().prop_map(String::from),
    ]
}

fn clinical() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..40).prop_map(|v| v.concat())
}

fn check_well_formed(text: &str, found: &[Finding]) -> Result<(), TestCaseError> {
    for f in found {
        prop_assert!(f.span.start < f.span.end, "empty span");
        prop_assert!(f.span.end <= text.len(), "span past the end");
        prop_assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
        prop_assert!((0.0..=1.0).contains(&f.score));
    }
    for w in found.windows(2) {
        prop_assert!(
            w[0].span.end <= w[1].span.start,
            "findings overlap or are out of order"
        );
    }
    Ok(())
}

proptest! {
    // 512 cases per property unless PROPTEST_CASES asks for more (for long local runs).
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_strings_give_well_formed_findings(text in any::<String>()) {
        let found = engine().detect(&text);
        check_well_formed(&text, &found)?;
    }

    #[test]
    fn clinical_strings_give_well_formed_findings(text in clinical()) {
        let found = engine().detect(&text);
        check_well_formed(&text, &found)?;
    }

    /// Text appended after a blank line and a paragraph of filler cannot change or remove what
    /// was found before it. It may add findings there: a name found in the new text is a name
    /// wherever it occurs in the same document (propagation), which is the point of propagation.
    #[test]
    fn appending_far_away_changes_nothing(text in clinical(), tail in clinical()) {
        let filler = "\n\nPatient resting comfortably in bed, no acute distress overnight.\n\n";
        let combined = format!("{text}{filler}{tail}");
        let before = engine().detect(&text);
        let after = engine().detect(&combined);
        for f in &before {
            prop_assert!(after.contains(f), "{f:?} changed or vanished after the append");
        }
        // Without word-level kinds (no propagation) nothing may be added either.
        let patterns = pattern_engine();
        let before = patterns.detect(&text);
        let kept: Vec<Finding> = patterns
            .detect(&combined)
            .into_iter()
            .filter(|f| f.span.end <= text.len())
            .collect();
        prop_assert_eq!(before, kept);
    }

    /// The tokenizer's fast shape of an ASCII word (from which kinds of bytes it has) agrees
    /// with the general rule of `shape_of` (which counts letters), apostrophes included.
    #[test]
    fn ascii_word_shapes_follow_the_general_rule(text in "[A-Za-z0-9' ]{1,40}") {
        for t in phirewall::text::tokenize(&text) {
            prop_assert_eq!(t.shape, phirewall::text::shape_of(t.text), "{:?}", t.text);
        }
    }

    /// Full-width digits and zero-width characters inside an identifier do not hide it, and the
    /// finding covers exactly the disguised identifier in the original text.
    #[test]
    fn disguised_identifiers_are_found_in_place(
        case in prop::sample::select(vec![
            ("SSN ", "123-45-6789", Kind::Ssn),
            ("call ", "617-555-0123", Kind::Phone),
            ("seen ", "03/04/2021", Kind::Date),
            ("pt is ", "92 yo", Kind::Age),
            ("MRN: ", "00123456", Kind::Mrn),
        ]),
        full_width in prop::collection::vec(any::<bool>(), 16),
        zero_width_at in prop::collection::vec(any::<bool>(), 16),
        prefix in "[a-z ]{0,20}",
    ) {
        let (cue, id, kind) = case;
        let mut disguised = String::new();
        for (i, c) in id.chars().enumerate() {
            if i > 0 && zero_width_at[i % 16] {
                disguised.push('\u{200B}');
            }
            match c {
                '0'..='9' if full_width[i % 16] => {
                    disguised.push(char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
                }
                _ => disguised.push(c),
            }
        }
        let text = format!("{prefix}. {cue}{disguised} today.");
        let start = text.find(&disguised).unwrap_or(0);
        let found = engine().detect(&text);
        let want_end = if kind == Kind::Age {
            // Only the number of "92 yo" is the age: it ends with its last digit.
            start
                + disguised
                    .char_indices()
                    .rfind(|(_, c)| c.is_numeric())
                    .map(|(i, c)| i + c.len_utf8())
                    .unwrap_or(disguised.len())
        } else {
            start + disguised.len()
        };
        prop_assert!(
            found.iter().any(|f| f.kind == kind && f.span.start == start && f.span.end == want_end),
            "{kind} not found at {start}..{want_end}: {found:?}"
        );
    }
}

#[test]
fn engine_is_send_sync_clone() {
    fn assert_traits<T: Send + Sync + Clone + 'static>() {}
    assert_traits::<Engine>();
}

#[test]
fn batch_matches_single() {
    let texts = ["92 yo F", "nothing here", "age 101, MRN: 77123456", ""];
    let batch = engine().detect_batch(&texts);
    assert_eq!(batch.len(), texts.len());
    for (text, found) in texts.iter().zip(&batch) {
        assert_eq!(&engine().detect(text), found);
    }
}

#[test]
fn builder_filters_kinds_and_rejects_bad_config() {
    let only_dates = Engine::builder()
        .kinds([Kind::Date])
        .build()
        .expect("builds");
    assert!(only_dates.detect("92 yo").is_empty());
    let err = Engine::builder()
        .kinds([])
        .build()
        .expect_err("no kinds is an error");
    assert_eq!(err.kind(), phirewall::ErrorKind::Config);
    let err = Engine::builder()
        .min_score(f32::NAN)
        .build()
        .expect_err("NaN is an error");
    assert_eq!(err.kind(), phirewall::ErrorKind::Config);
}
