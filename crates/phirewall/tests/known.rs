//! Known identifiers per record, through the public API: `Known` and `Engine::detect_known`.
//!
//! All names, numbers and addresses here are invented.

use phirewall::{Engine, Finding, Kind, Known};

fn engine() -> Engine {
    Engine::new().expect("engine builds")
}

/// The known findings (detector `known.*`) of `text`, as (kind, text) pairs.
fn known_in<'t>(engine: &Engine, text: &'t str, known: &Known) -> Vec<(Kind, &'t str)> {
    let found = engine.detect_known(text, known);
    check_invariants(text, &found);
    found
        .iter()
        .filter(|f| f.detector.starts_with("known."))
        .map(|f| (f.kind, &text[f.span.range()]))
        .collect()
}

fn texts<'t>(pairs: &[(Kind, &'t str)]) -> Vec<&'t str> {
    pairs.iter().map(|(_, t)| *t).collect()
}

/// Sorted, non-overlapping, on character boundaries; known ones score 1.0.
fn check_invariants(text: &str, found: &[Finding]) {
    for w in found.windows(2) {
        assert!(w[0].span.end <= w[1].span.start, "overlap: {found:?}");
    }
    for f in found {
        assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
        assert!(!f.span.is_empty());
        if f.detector.starts_with("known.") {
            assert_eq!(f.score, 1.0);
        }
    }
}

#[test]
fn name_variants_are_found() {
    let e = engine();
    let k = Known::new().name("Dorian Q. Pellwick");
    let cases: &[(&str, &str)] = &[
        (
            "Patient Dorian Q. Pellwick seen today.",
            "Dorian Q. Pellwick",
        ),
        ("Patient Dorian Q Pellwick seen today.", "Dorian Q Pellwick"),
        ("Patient Dorian Pellwick seen today.", "Dorian Pellwick"),
        ("PELLWICK, DORIAN admitted overnight.", "PELLWICK, DORIAN"),
        (
            "Pellwick, Dorian Q. admitted overnight.",
            "Pellwick, Dorian Q.",
        ),
        ("Pellwick Dorian admitted overnight.", "Pellwick Dorian"),
        ("Seen with D. Pellwick in clinic.", "D. Pellwick"),
        ("Seen with D Pellwick in clinic.", "D Pellwick"),
        ("Seen with D.Q. Pellwick in clinic.", "D.Q. Pellwick"),
        ("Seen with D. Q. Pellwick in clinic.", "D. Q. Pellwick"),
        ("Signed: Pellwick, D.", "Pellwick, D."),
        ("Initials DQP on consent.", "DQP"),
        ("Initials D.Q.P. on consent.", "D.Q.P."),
        ("dorian pellwick called back", "dorian pellwick"),
        ("Asked for Dorian at the desk.", "Dorian"),
        ("The Pellwicks visited.", "Pellwicks"),
    ];
    for (text, want) in cases {
        assert_eq!(texts(&known_in(&e, text, &k)), [*want], "in {text:?}");
    }
    // A possessive is the name without the "'s", straight or typographic apostrophe.
    let text = "Pellwick's daughter and Pellwick\u{2019}s son";
    assert_eq!(texts(&known_in(&e, text, &k)), ["Pellwick", "Pellwick"]);
    // Lower-case initials are not taken for the initials.
    assert!(known_in(&e, "dqp noted", &k).is_empty());
}

#[test]
fn hyphens_apostrophes_and_particles() {
    let e = engine();
    let k = Known::new().name("Liesl-Marie O'Varnum");
    let text = "Liesl Marie OVarnum; LieslMarie; O Varnum; O\u{2019}Varnum; Marie; Liesl";
    assert_eq!(
        texts(&known_in(&e, text, &k)),
        [
            "Liesl Marie OVarnum",
            "LieslMarie",
            "O Varnum",
            "O\u{2019}Varnum",
            "Marie",
            "Liesl"
        ]
    );
    // Nobody calls O'Varnum "Varnum"; lower-case particles are not used alone.
    let k = Known::new().name("Renata de la Quorvel");
    let text = "seen by de la team; Quorvel; Renata de la Quorvel";
    assert_eq!(
        texts(&known_in(&e, text, &k)),
        ["Quorvel", "Renata de la Quorvel"]
    );
}

#[test]
fn titles_and_suffixes_are_not_names_alone() {
    let e = engine();
    let k = Known::new().name("Mr. Tobias Wendlaker Jr.");
    let found = known_in(&e, "Jr resident; Mr and Mrs; Tobias Wendlaker", &k);
    assert_eq!(texts(&found), ["Tobias Wendlaker"]);
}

#[test]
fn matches_sit_on_word_boundaries() {
    let e = engine();
    let k = Known::new().name("Ann Zelvorak").mrn("4567123");
    let text = "Annual review; Anne; Zelvorakian; Ann. MRN 14567123 and 45671234 and A4567123.";
    assert_eq!(
        known_in(&e, text, &k),
        [(Kind::Name, "Ann"), (Kind::Mrn, "4567123")]
    );
}

#[test]
fn ordinary_words_need_a_capital_unless_the_note_is_caseless() {
    let e = engine();
    let k = Known::new().name("Hope Brown");
    let text = "Hope is here. She has brown stool and no hope of discharge today.";
    assert_eq!(texts(&known_in(&e, text, &k)), ["Hope"]);
    let text = "HOPE HERE. BROWN STOOL, NO CHANGE IN PLAN. FAMILY AT BEDSIDE.";
    assert_eq!(texts(&known_in(&e, text, &k)), ["HOPE", "BROWN"]);
    let text = "pt resting, brown stool x1, family at bedside.";
    assert_eq!(texts(&known_in(&e, text, &k)), ["brown"]);
}

#[test]
fn ids_with_and_without_separators_and_zeros() {
    let e = engine();
    let k = Known::new()
        .mrn("0098-7654")
        .identifier(Kind::Phone, "617-555-0142")
        .identifier(Kind::Ssn, "123456789")
        .identifier(Kind::Email, "q.varnum@example.org");
    let text = "MRN 00987654 (old 987654, chart 0098-7654). Call (617) 555-0142 or \
                617.555.0142. SSN 123-45-6789. Mail Q.Varnum@example.org.";
    assert_eq!(
        known_in(&e, text, &k),
        [
            (Kind::Mrn, "00987654"),
            (Kind::Mrn, "987654"),
            (Kind::Mrn, "0098-7654"),
            (Kind::Phone, "(617) 555-0142"),
            (Kind::Phone, "617.555.0142"),
            (Kind::Ssn, "123-45-6789"),
            (Kind::Email, "Q.Varnum@example.org"),
        ]
    );
    // Too short to be matched at all: a 3-digit value would hit doses and times.
    let k = Known::new().mrn("250");
    assert!(known_in(&e, "Gave 250 mg at 0250.", &k).is_empty());
}

#[test]
fn addresses_yield_street_city_and_zip() {
    let e = engine();
    let k = Known::new().address("48 Quillan Ave, Apt 3B, Marbleton, MA 01101");
    let text =
        "Lives at 48 Quillan Avenue, Apt 3B in Marbleton 01101; walks on Quillan Ave. daily.";
    assert_eq!(
        known_in(&e, text, &k),
        [
            // The known street and unit and the address detector's finding over both join
            // into one finding of the same kind.
            (Kind::StreetAddress, "48 Quillan Avenue, Apt 3B"),
            (Kind::City, "Marbleton"),
            (Kind::Zip, "01101"),
            (Kind::StreetAddress, "Quillan Ave."),
        ]
    );
}

#[test]
fn known_wins_over_overlapping_findings() {
    let e = engine();
    // The engine alone calls this number a fax; the caller says it is the patient's phone.
    let text = "Fax 617-555-0199 today.";
    let usual = e.detect(text);
    assert_eq!(usual.len(), 1);
    assert_eq!(usual[0].kind, Kind::Fax);
    let k = Known::new().identifier(Kind::Phone, "6175550199");
    let found = e.detect_known(text, &k);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (
            found[0].kind,
            &text[found[0].span.range()],
            found[0].detector
        ),
        (Kind::Phone, "617-555-0199", "known.phone")
    );

    // Same kind: one finding, known, covering both.
    let text = "MRN: 00552211 on file.";
    let k = Known::new().mrn("00552211");
    let found = e.detect_known(text, &k);
    check_invariants(text, &found);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].kind, &text[found[0].span.range()], found[0].score),
        (Kind::Mrn, "00552211", 1.0)
    );
    assert_eq!(found[0].detector, "known.mrn");
    let text = "Seen 03/04/2021 in clinic.";
    let k = Known::new().identifier(Kind::Date, "03/04");
    let found = e.detect_known(text, &k);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (
            found[0].kind,
            &text[found[0].span.range()],
            found[0].detector
        ),
        (Kind::Date, "03/04/2021", "known.date")
    );

    // Another kind covering the known value and more: kept whole.
    let text = "Write to dorian.pellwick@example.org today.";
    let k = Known::new().name("Dorian Pellwick");
    let found = e.detect_known(text, &k);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].kind, &text[found[0].span.range()]),
        (Kind::Email, "dorian.pellwick@example.org")
    );
}

#[test]
fn usual_findings_stay() {
    let e = engine();
    let text = "Dorian Pellwick seen 03/04/2021, call 617-555-0123.";
    let k = Known::new().name("Dorian Pellwick");
    let found = e.detect_known(text, &k);
    check_invariants(text, &found);
    let kinds: Vec<Kind> = found.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, [Kind::Name, Kind::Date, Kind::Phone]);
    // Nothing known: exactly the usual findings.
    assert_eq!(e.detect_known(text, &Known::new()), e.detect(text));
}

#[test]
fn the_engine_kind_filter_applies() {
    let e = Engine::builder()
        .kinds([Kind::Date])
        .min_score(0.9)
        .build()
        .expect("engine builds");
    let k = Known::new().name("Dorian Pellwick").mrn("00552211");
    let found = e.detect_known("Dorian Pellwick, MRN 00552211, seen 03/04/2021.", &k);
    assert!(found.iter().all(|f| f.kind == Kind::Date), "{found:?}");
    let e = Engine::builder()
        .kinds([Kind::Mrn])
        .min_score(1.0)
        .build()
        .expect("engine builds");
    let found = e.detect_known("Dorian Pellwick, MRN 00552211.", &k);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, Kind::Mrn);
}

#[test]
fn folded_text_is_matched_and_mapped_back() {
    let e = engine();
    let k = Known::new().name("Dorian Pellwick").mrn("00552211");
    // A zero-width space inside the name, a no-break space between its parts, full-width digits.
    let text = "Pt Dor\u{200B}ian\u{00A0}Pellwick, chart \u{FF10}\u{FF10}552211.";
    assert_eq!(
        known_in(&e, text, &k),
        [
            (Kind::Name, "Dor\u{200B}ian\u{00A0}Pellwick"),
            (Kind::Mrn, "\u{FF10}\u{FF10}552211"),
        ]
    );
}

#[test]
fn non_ascii_names() {
    let e = engine();
    let k = Known::new().name("José Ibarrondo").name("Zoë Quellan");
    let text = "José Ibarrondo and JOSÉ; zoë; ZOË QUELLAN; Zoëy and Joséph are others.";
    assert_eq!(
        texts(&known_in(&e, text, &k)),
        ["José Ibarrondo", "JOSÉ", "zoë", "ZOË QUELLAN"]
    );
}

#[test]
fn one_known_serves_many_notes() {
    let e = engine();
    let k = Known::new().name("Dorian Pellwick");
    let notes = ["Pellwick seen.", "No visitors.", "Dorian ambulating."];
    let counts: Vec<usize> = notes.iter().map(|n| known_in(&e, n, &k).len()).collect();
    assert_eq!(counts, [1, 0, 1]);
    let cloned = k.clone();
    assert_eq!(known_in(&e, "Pellwick seen.", &cloned).len(), 1);
}

#[test]
fn debug_shows_counts_not_values() {
    let k = Known::new()
        .name("Dorian Pellwick")
        .name("Zoë Quellan")
        .mrn("00552211")
        .address("48 Quillan Ave, Marbleton, MA 01101");
    // Compile the matcher first: its state must not show either.
    let _ = engine().detect_known("Dorian", &k);
    let debug = format!("{k:?}");
    for secret in [
        "Dorian",
        "Pellwick",
        "Zoë",
        "Quellan",
        "552211",
        "Marbleton",
        "01101",
    ] {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert!(debug.contains("values: 4"), "{debug}");
    assert!(debug.contains("NAME: 2"), "{debug}");
}

#[test]
fn odd_input_gets_a_result() {
    let e = engine();
    let k = Known::new()
        .name("")
        .name(",")
        .name("X")
        .name("   ")
        .mrn("")
        .address(",,,")
        .identifier(Kind::City, "a")
        .name(&"Q".repeat(10_000));
    for text in ["", "X", ",", "\u{200B}", "Q Q Q"] {
        let found = e.detect_known(text, &k);
        check_invariants(text, &found);
        assert!(found.iter().all(|f| !f.detector.starts_with("known.")));
    }
}
