//! De-identification through the public API: every operator, policies, surrogate consistency
//! (in this process and across processes), date shifting, leak checks and the vault.
//!
//! All notes are synthetic; identifiers use reserved ranges where they exist.

use std::process::Command;

use phirewall::{
    Deidentifier, Engine, ErrorKind, Kind, Known, Op, Policy, Rule, Secret, Vault,
    HHS_RESTRICTED_ZIP3,
};

/// Pattern kinds only: names and places are still being built, so these notes do not depend on
/// them.
const NOTE: &str = "Seen 03/04/2021 in clinic; prior visit Mar 15, 2021 and labs on 2021-04-01.\n\
92 yo F, MRN: 00123456. SSN 219-09-9999. Call (617) 555-0199, fax 617-555-0142.\n\
Email pt.contact@example.com, ZIP 03601, IP 10.1.2.3. Visa 4111 1111 1111 1111. NPI 1234567893.";

const NOTES: &[&str] = &[
    NOTE,
    "ADMITTED 12/31/2019. DISCHARGED 01/02/2020. AGE 101. MRN# 7654321. PHONE 617-555-0123.",
    "f/u 2020-06-30, call 212.555.0188 or e-mail someone@example.net. zip code 02139-4307.",
    "DOB: 4/5/1927, now 95 years old. Member ID: XJH448812907. SSN: 078051120.",
];

/// One engine for the whole binary: building one is the slow part of these tests.
fn engine() -> Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE
        .get_or_init(|| Engine::new().expect("the default engine builds"))
        .clone()
}

fn secret(s: &str) -> Secret {
    Secret::new(s.as_bytes().to_vec()).expect("test secrets are long enough")
}

fn deid(policy: Policy, secret_text: Option<&str>) -> Deidentifier {
    Deidentifier::new(engine(), policy, secret_text.map(secret)).expect("valid policy")
}

/// The texts the engine finds in `text`.
fn found(text: &str) -> Vec<(Kind, String)> {
    engine()
        .detect(text)
        .iter()
        .map(|f| (f.kind, text[f.span.range()].to_string()))
        .collect()
}

fn policy_all(op: Op) -> Policy {
    Policy {
        default: Rule::new(op),
        ..Policy::default()
    }
}

#[test]
fn redact_removes_values() {
    let out = deid(policy_all(Op::Redact), None)
        .deidentify("MRN: 00123456. Call (617) 555-0199 today.", None)
        .expect("valid test input");
    assert_eq!(out.text, "MRN: . Call  today.");
    assert_eq!(out.replacements.len(), 2);
    assert!(out.replacements.iter().all(|r| r.output.is_empty()));
}

#[test]
fn tag_uses_the_template() {
    let text = "MRN: 00123456. Call (617) 555-0199 today.";
    let out = deid(policy_all(Op::Tag), None)
        .deidentify(text, None)
        .expect("valid test input");
    assert_eq!(out.text, "MRN: [MRN]. Call [PHONE] today.");
    let custom = Policy {
        tag: "<{kind}>".to_string(),
        ..Policy::default()
    };
    let out = deid(custom, None)
        .deidentify(text, None)
        .expect("valid test input");
    assert_eq!(out.text, "MRN: <MRN>. Call <PHONE> today.");
    // Output spans point at the replacements and source spans at the originals.
    for r in &out.replacements {
        assert_eq!(&out.text[r.output.range()], format!("<{}>", r.kind));
        assert!(text[r.source.range()].chars().any(|c| c.is_ascii_digit()));
    }
}

#[test]
fn mask_keeps_separators_and_the_tail() {
    let text = "SSN 219-09-9999, call (617) 555-0199.";
    let out = deid(policy_all(Op::Mask), None)
        .deidentify(text, None)
        .expect("valid test input");
    assert_eq!(out.text, "SSN ***-**-****, call (***) ***-****.");
    let mut p = policy_all(Op::Mask);
    p.mask.keep_last = 4;
    p.mask.char = 'X';
    let out = deid(p, None)
        .deidentify(text, None)
        .expect("valid test input");
    assert_eq!(out.text, "SSN XXX-XX-9999, call (XXX) XXX-0199.");
}

#[test]
fn hash_is_keyed_prefixed_and_stable() {
    let d1 = deid(policy_all(Op::Hash), Some("first secret, 16+ bytes"));
    let d2 = deid(policy_all(Op::Hash), Some("second secret, 16+ bytes"));
    let a = d1
        .deidentify("SSN 219-09-9999.", None)
        .expect("valid test input")
        .text;
    let b = d1
        .deidentify("ssn: 219 09 9999", None)
        .expect("valid test input")
        .text;
    let c = d2
        .deidentify("SSN 219-09-9999.", None)
        .expect("valid test input")
        .text;
    let hash = |s: &str| {
        s.split_whitespace()
            .find(|w| w.starts_with("SSN_"))
            .map(|w| w.trim_end_matches('.').to_string())
    };
    let (ha, hb, hc) = (
        hash(&a).expect("valid test input"),
        hash(&b).expect("valid test input"),
        hash(&c).expect("valid test input"),
    );
    assert_eq!(ha.len(), "SSN_".len() + 12);
    assert!(ha["SSN_".len()..].chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(ha, hb, "separators are not part of the identity");
    assert_ne!(ha, hc, "another secret gives another hash");
    let mut p = policy_all(Op::Hash);
    p.hash_len = 20;
    let long = deid(p, Some("first secret, 16+ bytes"))
        .deidentify("SSN 219-09-9999.", None)
        .expect("valid test input")
        .text;
    assert!(long.contains(&ha), "a longer hash extends the shorter one");
}

#[test]
fn generalize_follows_safe_harbor() {
    let d = deid(Policy::safe_harbor(), None);
    let out = d
        .deidentify("92 yo seen 03/04/2021 and 3/4/21 and on 7/22, ZIP 03601 and ZIP 02139-4307. MRN: 00123456.", None)
        .expect("valid test input");
    assert_eq!(
        out.text,
        "90+ yo seen 2021 and '21 and on [DATE], ZIP 000 and ZIP 021. MRN: [MRN]."
    );
    // The restricted list is configurable.
    let mut p = Policy::safe_harbor();
    p.restricted_zip3 = vec!["021".to_string()];
    let out = deid(p, None)
        .deidentify("ZIP 02139 and ZIP 03601.", None)
        .expect("valid test input");
    assert_eq!(out.text, "ZIP 000 and ZIP 036.");
    assert!(HHS_RESTRICTED_ZIP3.contains(&"036") && HHS_RESTRICTED_ZIP3.len() == 17);
}

#[test]
fn years_written_alone_in_a_history_stay_years() {
    // "CABG '03" is found as a date (history lists use it as one), but its value is a year,
    // which Safe Harbor keeps and a shift of days cannot move.
    let text = "PMH: CABG '03, appy 71', seen 03/04/2021.";
    let found = engine().detect(text);
    assert_eq!(found.iter().filter(|f| f.kind == Kind::Date).count(), 3);
    let out = deid(Policy::safe_harbor(), None)
        .deidentify(text, None)
        .expect("valid test input");
    assert_eq!(out.text, "PMH: CABG '03, appy 71', seen 2021.");
    let out = deid(Policy::surrogate(), Some("surrogate test secret"))
        .deidentify(text, Some("patient-1"))
        .expect("valid test input");
    assert!(
        out.text.starts_with("PMH: CABG '03, appy 71', seen "),
        "{}",
        out.text
    );
    assert!(!out.text.contains("03/04/2021"));
}

#[test]
fn surrogates_keep_format_and_use_reserved_ranges() {
    let d = deid(Policy::surrogate(), Some("surrogate test secret"));
    let out = d
        .deidentify(NOTE, Some("patient-1"))
        .expect("valid test input");
    let get = |kind: Kind| -> Vec<String> {
        out.replacements
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| out.text[r.output.range()].to_string())
            .collect()
    };
    let ssn = &get(Kind::Ssn)[0];
    assert!(
        ssn.starts_with('9') && ssn.len() == 11 && &ssn[3..4] == "-" && &ssn[6..7] == "-",
        "{ssn}"
    );
    let phone = &get(Kind::Phone)[0];
    assert!(
        phone.starts_with('(') && phone.contains(") 555-01"),
        "{phone}"
    );
    let fax = &get(Kind::Fax)[0];
    assert!(fax.len() == 12 && fax[3..].starts_with("-555-01"), "{fax}");
    assert!(get(Kind::Email)[0].ends_with("@example.org"));
    assert!(["192.0.2.", "198.51.100.", "203.0.113."]
        .iter()
        .any(|p| get(Kind::Ip)[0].starts_with(p)));
    let zip = &get(Kind::Zip)[0];
    assert!(zip.len() == 5 && zip.starts_with("000"), "{zip}");
    let age: u32 = get(Kind::Age)[0].parse().expect("valid test input");
    assert!(age >= 90);
    let card = &get(Kind::Account)[0];
    assert!(
        card.starts_with("4242 42") && card.len() == 19 && luhn(card),
        "{card}"
    );
    let npi = &get(Kind::License)[0];
    assert!(
        npi.len() == 10
            && (npi.starts_with('1') || npi.starts_with('2'))
            && luhn(&format!("80840{npi}")),
        "{npi}"
    );
    let mrn = &get(Kind::Mrn)[0];
    assert!(mrn.len() == 8 && mrn.chars().all(|c| c.is_ascii_digit()) && mrn != "00123456");
}

/// Identifiers with a structure and a check digit (all invented or standard documentation
/// examples), one per line so each replacement can be checked on its own.
const STRUCTURED: &str = "IBAN GB82 WEST 1234 5698 7654 32 on file.\n\
Medicare MBI 1EG4-TE5-MK73.\n\
DEA AB1234563.\n\
VIN 1M8GDM9AXKP042788 in the lot.\n\
UDI: (01)00844588003288(17)261120(10)7654321D(21)XK92.\n\
UDI: +J714PUMP22/$$3271231LOT9BM.\n\
Routing # 021100002 for refunds.";

#[test]
fn structured_identifiers_keep_structure_and_check_digits() {
    for secret_text in ["surrogate test secret", "another surrogate secret"] {
        let d = deid(Policy::surrogate(), Some(secret_text));
        let out = d
            .deidentify(STRUCTURED, Some("patient-1"))
            .expect("valid test input");
        let got: Vec<(&str, &str)> = out
            .replacements
            .iter()
            .map(|r| {
                let line = STRUCTURED[..r.source.start].matches('\n').count();
                (
                    STRUCTURED.lines().nth(line).unwrap_or(""),
                    &out.text[r.output.range()],
                )
            })
            .collect();
        assert_eq!(got.len(), 7, "every identifier is replaced");
        for (line, new) in got {
            let original = line
                .split(' ')
                .find(|w| w.len() > 8 && w.bytes().any(|b| b.is_ascii_digit()))
                .unwrap_or("");
            assert_ne!(new, original.trim_end_matches('.'));
            if line.starts_with("IBAN") {
                assert!(
                    new.starts_with("GB") && new.len() == 27 && iban_ok(new),
                    "{new}"
                );
                assert_eq!(new.matches(' ').count(), 5, "spaces kept: {new}");
            } else if line.starts_with("Medicare") {
                assert!(mbi_ok(new), "{new}");
                assert_eq!((new.len(), &new[4..5], &new[8..9]), (13, "-", "-"));
            } else if line.starts_with("DEA") {
                assert!(new.starts_with('A') && dea_ok(new), "{new}");
            } else if line.starts_with("VIN") {
                assert!(vin_ok(new), "{new}");
            } else if line.starts_with("UDI: (01)") {
                let ais: Vec<&str> = new.split(['(', ')']).collect();
                assert_eq!(
                    [ais[1], ais[3], ais[5], ais[7]],
                    ["01", "17", "10", "21"],
                    "{new}"
                );
                assert!(gtin_ok(ais[2]) && ais[2].starts_with('0'), "{new}");
                let month: u32 = ais[4][2..4].parse().expect("digits");
                let day: u32 = ais[4][4..6].parse().expect("digits");
                assert!(
                    (1..=12).contains(&month) && (1..=31).contains(&day),
                    "{new}"
                );
                assert_eq!(ais[6].len(), 8);
            } else if line.starts_with("UDI: +") {
                assert!(
                    new.starts_with('+') && new.contains("/$$") && hibcc_ok(new),
                    "{new}"
                );
            } else {
                assert!(
                    new.starts_with("02") && new.len() == 9 && aba_ok(new),
                    "{new}"
                );
            }
        }
    }
}

fn iban_ok(s: &str) -> bool {
    let c: String = s.chars().filter(|&c| c != ' ').collect();
    let moved = format!("{}{}", &c[4..], &c[..4]);
    let mut rem = 0u64;
    for ch in moved.chars() {
        let v = u64::from(ch.to_digit(36).unwrap_or(99));
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

fn mbi_ok(s: &str) -> bool {
    let c: Vec<char> = s.chars().filter(|&c| c != '-').collect();
    let letter = |c: char| c.is_ascii_uppercase() && !"SLOIBZ".contains(c);
    c.len() == 11
        && ('1'..='9').contains(&c[0])
        && [1, 4, 7, 8].iter().all(|&i| letter(c[i]))
        && [3, 6, 9, 10].iter().all(|&i| c[i].is_ascii_digit())
        && [2, 5]
            .iter()
            .all(|&i| letter(c[i]) || c[i].is_ascii_digit())
}

fn dea_ok(s: &str) -> bool {
    let d: Vec<u32> = s[2..].chars().filter_map(|c| c.to_digit(10)).collect();
    d.len() == 7 && (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]
}

fn vin_ok(s: &str) -> bool {
    // Transliteration: A-H 1-8, J-N 1-5, P 7, R 9, S-Z 2-9; I, O and Q never appear.
    let value = |c: char| -> Option<u32> {
        let row = ["0123456789", "_ABCDEFGH", "_JKLMN_P_R", "__STUVWXYZ"];
        row.iter().find_map(|r| r.find(c).map(|i| i as u32))
    };
    let weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let mut sum = 0;
    for (c, w) in s.chars().zip(weights) {
        match value(c) {
            Some(v) => sum += v * w,
            _ => return false,
        }
    }
    let check = if sum % 11 == 10 {
        'X'
    } else {
        char::from(b'0' + (sum % 11) as u8)
    };
    s.len() == 17 && s.chars().nth(8) == Some(check)
}

fn gtin_ok(s: &str) -> bool {
    let d: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| if i % 2 == 1 { 3 * x } else { x })
        .sum();
    d.len() == 14 && sum % 10 == 0
}

fn hibcc_ok(s: &str) -> bool {
    const T: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%";
    let (data, check) = s.split_at(s.len() - 1);
    let sum: usize = data.chars().map(|c| T.find(c).unwrap_or(99)).sum();
    T.find(check) == Some(sum % 43)
}

fn aba_ok(s: &str) -> bool {
    let d: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    d.len() == 9
        && (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + d[8]) % 10 == 0
}

fn luhn(s: &str) -> bool {
    let digits: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

#[test]
fn surrogates_are_consistent_within_and_across_documents() {
    let d = deid(Policy::surrogate(), Some("surrogate test secret"));
    let one = d
        .deidentify("MRN: 00123456. Call (617) 555-0199.", Some("a"))
        .expect("valid test input")
        .text;
    let two = d
        .deidentify(
            "Phone (617) 555-0199 again; MRN: 00123456 in another note.",
            Some("b"),
        )
        .expect("valid test input")
        .text;
    let mrn = |s: &str| s.split("MRN: ").nth(1).expect("valid test input")[..8].to_string();
    assert_eq!(mrn(&one), mrn(&two));
    let phone = |s: &str| s[s.find('(').expect("valid test input")..][..14].to_string();
    assert_eq!(phone(&one), phone(&two));
    // Another secret, other surrogates.
    let other = deid(Policy::surrogate(), Some("another secret entirely"))
        .deidentify("MRN: 00123456.", Some("a"))
        .expect("valid test input")
        .text;
    assert_ne!(mrn(&one), mrn(&other));
}

/// The surrogate this process computes for a fixed value and secret.
fn fixed_surrogate() -> String {
    let d = deid(Policy::surrogate(), Some("cross-process secret"));
    d.deidentify(
        "MRN: 00123456, SSN 219-09-9999, call 617-555-0199, seen 03/04/2021.",
        Some("pt-7"),
    )
    .expect("valid test input")
    .text
}

/// Prints the surrogate for `surrogates_agree_across_processes`, which runs this test binary
/// again filtered to this test. Run alone it only checks that a surrogate is produced.
#[test]
fn helper_print_surrogate() {
    let s = fixed_surrogate();
    assert!(!s.contains("00123456"));
    println!("SURROGATE<{s}>");
}

#[test]
fn surrogates_agree_across_processes() {
    let run = || {
        let exe = std::env::current_exe().expect("the test binary path");
        let out = Command::new(exe)
            .args([
                "helper_print_surrogate",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .output()
            .expect("the test binary runs");
        assert!(out.status.success());
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let start = stdout
            .find("SURROGATE<")
            .expect("the helper printed its surrogate")
            + "SURROGATE<".len();
        let end = start + stdout[start..].find('>').expect("the line is closed");
        stdout[start..end].to_string()
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    assert_eq!(a, fixed_surrogate());
}

/// Days since 1970-01-01 of `MM/DD/YYYY` or `YYYY-MM-DD`.
fn day_number(date: &str) -> i64 {
    let parts: Vec<i64> = date
        .split(['/', '-'])
        .map(|p| p.parse().expect("valid test input"))
        .collect();
    let (y, m, d) = if date.contains('-') {
        (parts[0], parts[1], parts[2])
    } else {
        (parts[2], parts[0], parts[1])
    };
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn dates(text: &str, out: &phirewall::Deidentified) -> Vec<(i64, i64)> {
    out.replacements
        .iter()
        .filter(|r| r.kind == Kind::Date)
        .map(|r| {
            (
                day_number(&text[r.source.range()]),
                day_number(&out.text[r.output.range()]),
            )
        })
        .collect()
}

#[test]
fn date_shift_preserves_intervals_and_formats() {
    let note = "Admitted 12/30/2019. Surgery 2020-01-02. Discharged 02/27/2020. Seen 03/01/2020.";
    let d = deid(Policy::surrogate(), Some("date shift secret!"));
    let out = d
        .deidentify(note, Some("patient-42"))
        .expect("valid test input");
    let pairs = dates(note, &out);
    assert_eq!(pairs.len(), 4);
    let offset = pairs[0].1 - pairs[0].0;
    assert_ne!(offset, 0);
    assert!((-365..=365).contains(&offset));
    for (before, after) in &pairs {
        assert_eq!(
            after - before,
            offset,
            "every date moves by the same number of days"
        );
    }
    // Formats are kept: slashes and zero padding, ISO order.
    let texts: Vec<&str> = out
        .replacements
        .iter()
        .map(|r| &out.text[r.output.range()])
        .collect();
    assert!(texts[0].len() == 10 && &texts[0][2..3] == "/" && &texts[0][5..6] == "/");
    assert!(texts[1].len() == 10 && &texts[1][4..5] == "-");
    // The same patient in another document: same offset. Another patient: another offset.
    let later = d
        .deidentify("Follow-up 06/15/2020.", Some("patient-42"))
        .expect("valid test input");
    let p = dates("Follow-up 06/15/2020.", &later)[0];
    assert_eq!(p.1 - p.0, offset);
    let other = d
        .deidentify("Follow-up 06/15/2020.", Some("patient-43"))
        .expect("valid test input");
    let q = dates("Follow-up 06/15/2020.", &other)[0];
    assert_ne!(q.1 - q.0, offset);
    // The range is configurable.
    let mut p = Policy::surrogate();
    p.date_shift = phirewall::ShiftRange {
        min_days: -10,
        max_days: -5,
    };
    let out = deid(p, Some("date shift secret!"))
        .deidentify(note, Some("patient-42"))
        .expect("valid test input");
    let shift = dates(note, &out)[0];
    assert!((-10..=-5).contains(&(shift.1 - shift.0)));
}

#[test]
fn named_and_partial_dates_shift_in_their_format() {
    let mut p = Policy::surrogate();
    p.date_shift = phirewall::ShiftRange {
        min_days: 3,
        max_days: 3,
    };
    let d = deid(p, Some("date shift secret!"));
    let text = "Seen March 4th, then 04-Mar-2021, then Mar 30, 2021, then on 7/22.";
    let out = d.deidentify(text, Some("p")).expect("valid test input");
    assert_eq!(
        out.text,
        "Seen March 7th, then 07-Mar-2021, then Apr 2, 2021, then on 7/25."
    );
}

#[test]
fn no_detected_value_survives() {
    let policies = [
        ("safe-harbor", Policy::safe_harbor()),
        ("surrogate", Policy::surrogate()),
        ("llm-prompt", Policy::llm_prompt()),
        ("tag", policy_all(Op::Tag)),
        ("redact", policy_all(Op::Redact)),
        ("hash", policy_all(Op::Hash)),
        ("mask", policy_all(Op::Mask)),
    ];
    for (name, policy) in policies {
        let d = deid(policy, Some("leak test secret key"));
        for note in NOTES {
            let originals = found(note);
            assert!(originals.len() >= 4, "the note has identifiers to remove");
            let out = d
                .deidentify(note, Some("leak-patient"))
                .expect("valid test input");
            assert_eq!(out.replacements.len(), originals.len(), "{name}");
            for (kind, value) in &originals {
                assert!(
                    !contains_word(&out.text, value),
                    "{name}: a {kind} survived {value} {}",
                    out.text
                );
            }
            for (kind, value) in found(&out.text) {
                assert!(
                    !originals.iter().any(|(_, o)| *o == value),
                    "{name}: re-detection found an original {kind}"
                );
            }
        }
    }
}

/// Whether `needle` occurs in `text` as a value of its own: not inside a word or a number, nor
/// inside a larger identifier (a short age such as "92" may well occur as "964-92-0497").
fn contains_word(text: &str, needle: &str) -> bool {
    let joins = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || matches!(c, '-' | '/'));
    text.match_indices(needle).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + needle.len()..].chars().next();
        !joins(before) && before != Some('.') && !joins(after)
    })
}

#[test]
fn thresholds_and_keep_leave_findings_alone() {
    let mut p = policy_all(Op::Tag);
    p.kinds.insert(Kind::Mrn, Rule::new(Op::Keep));
    p.kinds.insert(
        Kind::Phone,
        Rule {
            op: Op::Tag,
            min_score: Some(0.99),
        },
    );
    let out = deid(p, None)
        .deidentify("MRN: 00123456. Call (617) 555-0199. SSN 219-09-9999.", None)
        .expect("valid test input");
    assert_eq!(out.text, "MRN: 00123456. Call (617) 555-0199. SSN [SSN].");
    let mut p = policy_all(Op::Tag);
    p.min_score = 1.0;
    let out = deid(p, None)
        .deidentify("SSN 219-09-9999.", None)
        .expect("valid test input");
    assert!(out.replacements.is_empty());
}

#[test]
fn many_people_in_one_prompt_get_distinct_restorable_surrogates() {
    // Three invented surnames for every initial: surrogates keep the (permuted) initial, so
    // each three draw from one bucket, and some buckets are small. Without drawing again on a
    // collision, some surrogate would stand for two people and could not be restored.
    let names: Vec<String> = (b'A'..=b'Z')
        .flat_map(|c| {
            let c = char::from(c);
            [
                format!("{c}andrevy"),
                format!("{c}ostemik"),
                format!("{c}ubrainow"),
            ]
        })
        .collect();
    let prompt: String = names
        .iter()
        .map(|n| format!("Mr. {n} called."))
        .collect::<Vec<_>>()
        .join(" ");
    for secret_text in [
        "vault test secret one",
        "vault test secret two",
        "vault test secret 3",
    ] {
        let d = deid(Policy::llm_prompt(), Some(secret_text));
        let mut vault = Vault::new();
        let pseudo = d
            .pseudonymize(&prompt, Some("conv-1"), &mut vault)
            .expect("valid test input");
        let surrogates: std::collections::HashSet<String> = pseudo
            .replacements
            .iter()
            .map(|r| pseudo.text[r.output.range()].to_ascii_lowercase())
            .collect();
        assert_eq!(
            pseudo.replacements.len(),
            names.len(),
            "every name is found"
        );
        assert_eq!(
            surrogates.len(),
            names.len(),
            "no two people share a surrogate"
        );
        assert_eq!(vault.restore(&pseudo.text), prompt);
    }
}

#[test]
fn vault_round_trip() {
    let d = deid(Policy::llm_prompt(), Some("vault test secret key"));
    let prompt = "Summarize: MRN: 00123456, seen 03/04/2021, call (617) 555-0199, email pt.contact@example.com.";
    let mut vault = Vault::new();
    let pseudo = d
        .pseudonymize(prompt, Some("conv-1"), &mut vault)
        .expect("valid test input");
    assert_eq!(vault.len(), 4);
    for (_, value) in found(prompt) {
        assert!(!pseudo.text.contains(&value));
    }
    // A model's response that repeats the surrogates, one in upper case.
    let surrogates: Vec<&str> = pseudo
        .replacements
        .iter()
        .map(|r| &pseudo.text[r.output.range()])
        .collect();
    let response = format!(
        "Patient {} was seen on {}; reach them at {} or {}.",
        surrogates[0],
        surrogates[1],
        surrogates[2],
        surrogates[3].to_uppercase()
    );
    assert!(
        vault.echoes(&response).is_empty(),
        "the response holds no original"
    );
    let restored = vault.restore(&response);
    assert_eq!(
        restored,
        "Patient 00123456 was seen on 03/04/2021; reach them at (617) 555-0199 or pt.contact@example.com."
    );
    // Restoring the pseudonymized prompt gives the prompt back.
    assert_eq!(vault.restore(&pseudo.text), prompt);
    // A response that echoes originals is reported, by kind and span, without text.
    let leaky = "Your MRN 00123456 and phone (617) 555-0199 are on file.";
    let echoes = vault.echoes(leaky);
    let kinds: Vec<Kind> = echoes.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [Kind::Mrn, Kind::Phone]);
    assert_eq!(&leaky[echoes[0].span.range()], "00123456");
    // Whole words only: a longer number containing a surrogate is not restored.
    let embedded = format!("{}9", surrogates[0]);
    assert_eq!(vault.restore(&embedded), embedded);

    // JSON and sealed JSON round trips.
    let json = vault.to_json();
    assert_eq!(Vault::from_json(&json).expect("valid test input"), vault);
    let key = secret("vault sealing key 123");
    let sealed = vault.seal(&key).expect("valid test input");
    assert!(!sealed.contains("00123456") && sealed.starts_with("phirewall-vault-v1:"));
    assert_ne!(
        sealed,
        vault.seal(&key).expect("valid test input"),
        "a fresh nonce each time"
    );
    let opened = Vault::unseal(&sealed, &key).expect("valid test input");
    assert_eq!(opened, vault);
    assert_eq!(opened.restore(&response), restored);
    let wrong =
        Vault::unseal(&sealed, &secret("not the sealing key!")).expect_err("this must fail");
    assert_eq!(wrong.kind(), ErrorKind::Vault);
    let mut tampered = sealed.clone().into_bytes();
    let last = tampered.len() - 3;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("valid test input");
    assert_eq!(
        Vault::unseal(&tampered, &key)
            .expect_err("this must fail")
            .kind(),
        ErrorKind::Vault
    );
    assert_eq!(
        Vault::from_json("{").expect_err("this must fail").kind(),
        ErrorKind::Vault
    );
}

#[test]
fn ambiguous_tags_are_not_restored() {
    let d = deid(policy_all(Op::Tag), None);
    let mut vault = Vault::new();
    d.pseudonymize("MRN: 00123456 and MRN: 00999999.", None, &mut vault)
        .expect("valid test input");
    assert_eq!(vault.restore("Two [MRN] values."), "Two [MRN] values.");
    let mut single = Vault::new();
    d.pseudonymize("MRN: 00123456.", None, &mut single)
        .expect("valid test input");
    assert_eq!(single.restore("One [MRN]."), "One 00123456.");
}

#[test]
fn missing_secret_or_patient_key_is_a_clear_error() {
    for policy in [
        Policy::surrogate(),
        Policy::llm_prompt(),
        policy_all(Op::Hash),
    ] {
        let err = Deidentifier::new(engine(), policy, None).expect_err("this must fail");
        assert_eq!(err.kind(), ErrorKind::Secret);
        assert!(err.to_string().contains("secret"));
    }
    // Policies without keyed operators need none.
    assert!(Deidentifier::new(engine(), Policy::safe_harbor(), None).is_ok());
    let err = Secret::new(b"short".to_vec()).expect_err("this must fail");
    assert_eq!(err.kind(), ErrorKind::Secret);
    let d = deid(Policy::surrogate(), Some("surrogate test secret"));
    let err = d
        .deidentify("Seen 03/04/2021.", None)
        .expect_err("this must fail");
    assert_eq!(err.kind(), ErrorKind::PatientKey);
    assert!(!err.to_string().contains("03/04"));
}

#[test]
fn policies_parse_and_validate() {
    let toml = r#"
        min_score = 0.5
        default = { op = "tag" }
        tag = "[[{kind}]]"
        [kinds.PHONE]
        op = "mask"
        min_score = 0.8
        [kinds.date]
        op = "generalize"
        [mask]
        keep_last = 4
        [date_shift]
        min_days = -30
        max_days = -1
    "#;
    let p = Policy::from_toml(toml).expect("valid test input");
    assert_eq!(
        p.rule(Kind::Phone),
        Rule {
            op: Op::Mask,
            min_score: Some(0.8)
        }
    );
    assert_eq!(p.rule(Kind::Date).op, Op::Generalize);
    assert_eq!(p.rule(Kind::Ssn).op, Op::Tag);
    assert_eq!(p.mask.keep_last, 4);
    assert!(!p.needs_secret());
    let out = deid(p.clone(), None)
        .deidentify("Call (617) 555-0199 on 3/4/2021. SSN 219-09-9999.", None)
        .expect("valid test input");
    assert_eq!(out.text, "Call (***) ***-0199 on 2021. SSN [[SSN]].");
    // JSON round trip of the same policy.
    let json = serde_json::to_string(&p).expect("valid test input");
    assert_eq!(Policy::from_json(&json).expect("valid test input"), p);
    // Presets by name.
    assert_eq!(
        Policy::preset("safe-harbor").expect("valid test input"),
        Policy::safe_harbor()
    );
    assert!(Policy::preset("surrogate")
        .expect("valid test input")
        .needs_secret());
    assert_eq!(
        Policy::preset("nope").expect_err("this must fail").kind(),
        ErrorKind::Policy
    );
    // Unknown fields, kinds and operators are errors, as are operators that do not fit a kind.
    for bad in [
        "colour = 1",
        "[kinds.NAMES]\nop = \"tag\"",
        "[kinds.NAME]\nop = \"scramble\"",
        "[kinds.NAME]\nop = \"tag\"\nkeep = 1",
    ] {
        assert_eq!(
            Policy::from_toml(bad).expect_err("this must fail").kind(),
            ErrorKind::Policy,
            "{bad}"
        );
    }
    for bad in [
        "[kinds.NAME]\nop = \"generalize\"",
        "[kinds.PHONE]\nop = \"date_shift\"",
        "default = { op = \"generalize\" }",
        "hash_len = 4",
        "min_score = 2.0",
        "[date_shift]\nmin_days = 0\nmax_days = 0",
        "restricted_zip3 = [\"03\"]",
    ] {
        let p = Policy::from_toml(bad).expect("valid test input");
        let err = Deidentifier::new(engine(), p, None).expect_err("this must fail");
        assert_eq!(err.kind(), ErrorKind::Policy, "{bad}");
    }
}

#[test]
fn debug_output_holds_no_secret_or_phi() {
    let key = "super secret key material 0123";
    let s = secret(key);
    assert!(!format!("{s:?}").contains("super"));
    let d = deid(Policy::llm_prompt(), Some(key));
    assert!(!format!("{d:?}").contains("super"));
    assert!(!format!("{:?}", Policy::llm_prompt()).contains("super"));
    let mut vault = Vault::new();
    let out = d
        .pseudonymize("MRN: 00123456.", Some("pt"), &mut vault)
        .expect("valid test input");
    let debug = format!("{vault:?} {out:?}");
    assert!(!debug.contains("00123456"), "{debug}");
    assert!(!debug.contains(&out.text), "{debug}");
}

#[test]
fn known_identifiers_are_replaced_where_no_detector_finds_them() {
    // "Quill" and "Zeb" have no cue here: only the caller's knowledge finds them ("zeb Quill" as
    // one name, case ignored). The MRN is written without its leading zeros and without a cue.
    let text = "Quill ok overnight, zeb Quill's brother visited. Ref 7123456 on chart.";
    let known = Known::new()
        .name("Zebulon Quill")
        .name("Zeb Quill")
        .mrn("007123456");
    let tag = deid(policy_all(Op::Tag), None);
    let plain = tag.deidentify(text, None).expect("valid test input");
    assert!(plain.text.contains("Quill"), "no detector knows this name");
    let out = tag
        .deidentify_known(text, None, &known)
        .expect("valid test input");
    assert_eq!(
        out.text,
        "[NAME] ok overnight, [NAME]'s brother visited. Ref [MRN] on chart."
    );
    assert!(out
        .replacements
        .iter()
        .all(|r| r.detector.starts_with("known.")));

    // Keyed operators treat known values like found ones: the same surrogate for the same value,
    // here and in a note where a detector finds it.
    let sur = deid(Policy::surrogate(), Some("known test secret key"));
    let a = sur
        .deidentify_known("Seen with Zeb Quill today.", Some("p1"), &known)
        .expect("valid test input");
    let b = sur
        .deidentify_known("Zeb Quill returns 3/4/21.", Some("p1"), &known)
        .expect("valid test input");
    let name = |out: &phirewall::Deidentified| {
        let r = out
            .replacements
            .iter()
            .find(|r| r.kind == Kind::Name)
            .expect("the name is replaced");
        out.text[r.output.range()].to_string()
    };
    assert_eq!(name(&a), name(&b));
    assert!(!a.text.contains("Quill") && !b.text.contains("Quill"));

    // A policy that keeps names keeps known names too; the threshold never drops them.
    let mut keep = policy_all(Op::Tag);
    keep.kinds.insert(Kind::Name, Rule::new(Op::Keep));
    keep.min_score = 1.0;
    let out = deid(keep, None)
        .deidentify_known(text, None, &known)
        .expect("valid test input");
    assert_eq!(
        out.text,
        "Quill ok overnight, zeb Quill's brother visited. Ref [MRN] on chart."
    );

    // The vault variant restores known values as well.
    let llm = deid(Policy::llm_prompt(), Some("known test secret key"));
    let mut vault = Vault::new();
    let p = llm
        .pseudonymize_known("Zeb Quill, MRN 007123456.", Some("p1"), &known, &mut vault)
        .expect("valid test input");
    assert!(!p.text.contains("Quill") && !p.text.contains("7123456"));
    assert_eq!(vault.restore(&p.text), "Zeb Quill, MRN 007123456.");
}
