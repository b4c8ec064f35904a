//! VEHICLE, DEVICE, BIOMETRIC and OTHER_ID: identifiers that are only recognizable by what
//! introduces them.
//!
//! Apart from two self-describing formats (a 17-character VIN with a valid check digit, and a
//! GS1 UDI string with a valid GTIN), every pattern here starts with its cue phrase ("serial #",
//! "license plate", "accession number", ...) and reports only the value after it. Starting at the
//! cue keeps the patterns cheap (a literal word begins every match) and keeps them from ever
//! starting on a bare number, where a rejected match would hide other families' patterns.
//!
//! The values are checked, not just matched: every value must contain a digit (identifiers are
//! issued codes, prose after a cue word is letters), must not be a measurement ("12 mm", "90%"),
//! a frequency ("q4h") or a date. Clinical prose is full of the cue words used loosely: "serial
//! troponins", "a lot of secretions", "role model", "case 2 of 3", "visit 2", "order of
//! magnitude", "retinal scan normal". Each pattern below says how it keeps out of those.

use super::{checksum, Context, Cue, Hit, Pattern};
use crate::{Finding, Kind, Span};

/// No cue phrases: every cue is a literal at the start of its pattern.
pub(crate) const CUES: &[(&str, Cue)] = &[];

/// Between a cue and its value: spaces or tabs (never a line break), at most one `:`, `#` or `=`.
const SEP: &str = r"[ \t]*[:#=]?[ \t]*";

/// An optional number marker after a cue word: "#", "no.", "no", "num", "number".
const MARK: &str = r"(?:[ \t]*(?:#|no(?:\.|\b)|num(?:ber)?\b\.?))?";

/// A number marker that must follow an everyday cue word: "#", "no.", "number", "ID".
const MARK_REQ: &str = r"(?:[ \t]*(?:#|no(?:\.|\b)|num(?:ber)?\b\.?)|[ \t]+(?:id|identifier)\b)";

/// Units written right after a number ("12mm", "90%", "10units"): such a value is a measurement.
const GLUED_UNITS: &[&str] = &[
    "%", "mm", "cm", "m", "in", "ft", "mg", "mcg", "g", "kg", "lb", "lbs", "ml", "l", "cc", "dl",
    "u", "iu", "units", "unit", "meq", "mmol", "ng", "pg", "hr", "hrs", "h", "min", "mins", "sec",
    "d", "day", "days", "wk", "wks", "mo", "y", "yr", "yrs", "k", "mmhg", "bpm", "am", "pm",
];

/// Units that make the number before them a measurement when they follow as a separate word
/// ("plate 12 mm", "order # 100 mg"). English words that double as units ("in", "L" for left,
/// "x" for times) are left out: they follow real identifiers too.
const WORD_UNITS: &[&str] = &[
    "mm", "cm", "mg", "mcg", "kg", "lb", "lbs", "ml", "cc", "dl", "iu", "units", "unit", "meq",
    "mmol", "ng", "pg", "hr", "hrs", "hour", "hours", "min", "mins", "minute", "minutes", "sec",
    "seconds", "days", "wk", "wks", "weeks", "months", "years", "times", "cells", "mmhg", "bpm",
    "percent", "tabs", "tablets", "caps", "pills", "doses", "puffs", "drops", "vials", "tubes",
    "bags", "patients", "pts",
];

pub(crate) fn patterns() -> Vec<Pattern> {
    vec![
        // GS1 UDI, anywhere: "(01)00614141000012(17)210101(10)ABC123(21)XYZ987". The device
        // identifier after application identifier (01) is a GTIN-14 whose check digit must hold;
        // up to six more "(AI)value" elements follow (expiry, lot, serial). The finding is the
        // whole string, since lot and serial identify the single device. Rejects: a "(01)"
        // list marker followed by a number that is not a valid GTIN.
        Pattern::new(
            "device.gs1_udi",
            Kind::Device,
            0.95,
            r"\(01\)[0-9]{14}(?:\([0-9]{2,4}\)[A-Za-z0-9-]{1,20}){0,6}",
            gs1_udi,
        ),
        // After "UDI": a GS1 string (check digit not required: the cue already says what it is),
        // an HIBCC string ("+H123PROD1/$$3210101LOT1A", only ever accepted after this cue, since a
        // bare "+" and letters is common in lab shorthand), or any code with a digit.
        // "UDI: (01)...", "UDI # +M483LV2021A1".
        Pattern::new(
            "device.udi",
            Kind::Device,
            0.9,
            format!(
                r"(?i)\budi\b{MARK}{SEP}(?P<v>\(01\)[0-9]{{14}}(?:\([0-9]{{2,4}}\)[A-Za-z0-9-]{{1,20}}){{0,6}}|\+[A-Za-z][A-Za-z0-9]{{3}}[A-Za-z0-9$/+%.-]{{2,48}}|[A-Za-z0-9][A-Za-z0-9-]{{2,39}}\b)"
            ),
            device_value,
        ),
        // Serial, model, lot and device numbers after their cue: "serial #: PJN204118",
        // "S/N 88213-0042", "SN: 4411A7", "device ID DX-77120", "model no. 5076-52",
        // "lot # 2291B", "IMEI 490154203237518", "implant ID 7741-2210", "pacemaker serial
        // RXT300184" (the device word before "serial" needs no handling: "serial" is the cue).
        // The value needs a digit and 3+ characters. A bare "serial" (no "#", "no.", "number")
        // is the everyday clinical word ("serial troponins", "serial 12-lead ECGs", "serial
        // q4h neuro checks", "serial 90% LCX lesions"), so after it the value must also be 4+
        // characters and look like a code, not a count, a frequency or a number-word pair.
        // "SN" alone is sinus rhythm in notes: only "SN:" and "SN#" count. "model" and "lot"
        // need a marker ("role model", "a lot of pain").
        Pattern::new(
            "device.cue",
            Kind::Device,
            0.85,
            format!(
                r"(?i)\b(?:serial\b{MARK}|s/n\b|sn[ \t]*[:#]|device[ \t]+(?:id\b|identifier\b|serial\b{MARK}|#|no(?:\.|\b))|(?:model|lot)[ \t]*(?:#|no(?:\.|\b)|number\b)|imei\b|(?:implant|transmitter|receiver|sensor|pump)[ \t]+(?:id\b|identifier\b|#))[ \t]*(?:id\b)?{SEP}(?P<v>[A-Za-z0-9][A-Za-z0-9-]{{1,39}})\b"
            ),
            device_value,
        ),
        // A VIN after its cue: "VIN: WVWZZZ1JZXW123456", "vehicle identification number
        // 1FTRW08L83KA52871". Seventeen characters from the VIN alphabet (no I, O or Q) with
        // letters and digits; the check digit is not required here, because VINs issued outside
        // North America need not carry one.
        Pattern::new(
            "vehicle.vin_cue",
            Kind::Vehicle,
            0.9,
            format!(
                r"(?i)\b(?:vin\b|vehicle[ \t]+id(?:entification)?\b(?:[ \t]+number\b)?){MARK}{SEP}(?P<v>[A-HJ-NPR-Z0-9]{{17}})\b"
            ),
            vin_cue,
        ),
        // A VIN anywhere: 17 upper-case characters from the VIN alphabet, letters and digits
        // both present, and a valid check digit in position 9. Without the check digit a
        // 17-character code is far more likely something else (a hash, an order code).
        Pattern::new(
            "vehicle.vin",
            Kind::Vehicle,
            0.9,
            r"\b[A-HJ-NPR-Z0-9]{17}\b",
            vin_bare,
        ),
        // License plates, only after a cue: "license plate 7ABC123", "plate #: ABC-1234",
        // "tag # 4GHJ19", "reg. ABC 1234", "car registration no. KX51 ABC". A bare
        // "registration" is left to LICENSE (nursing, DEA registration): only a vehicle word
        // before it makes it a plate cue. The value is 2-8 letters and digits with at most one
        // dash or space, and a digit. After a cue without a marker ("fruit plate", "HR reg.
        // 80s", "car registration 12:30") it must also have two or more letters. Measurements ("plate 12 mm", "plate 3.5mm") never count. A
        // space-separated second part is joined only when it completes the plate ("ABC 1234",
        // "KX51 ABC"), not when it is the next word ("7ABC123 on file").
        Pattern::new(
            "vehicle.plate",
            Kind::Vehicle,
            0.8,
            format!(
                r"(?i)\b(?:(?:licen[sc]e|lic\.?)[ \t]+plate\b{MARK}|plate\b{MARK}|tag[ \t]*(?:#|no(?:\.|\b)|number\b)|reg\.|(?:vehicle|car|auto|motor)[ \t]+registration\b{MARK}){SEP}(?P<v>[A-Za-z0-9]{{1,8}}(?:[- ][A-Za-z0-9]{{1,7}})?)\b"
            ),
            plate,
        ),
        // Biometric template identifiers: "fingerprint template ID: FP-00427781", "retinal scan
        // ID RS88120A", "iris code 9c41e07b", "voiceprint ID VP-300912", "facial template ID
        // 55A9-0C31", "palm print ID PP004417", "biometric hash: 7f3a9c21d4". The modality word
        // must be followed by an identifier word (ID, template, code, hash, key) or by ":" or
        // "#", so findings ("retinal scan normal", "iris round and reactive", "fingerprint-like
        // rash", "voiceprint analysis discussed") never match. The value is 6+ letters or hex
        // digits with at least one digit.
        Pattern::new(
            "biometric.cue",
            Kind::Biometric,
            0.85,
            format!(
                r"(?i)\b(?:finger[ -]?prints?|thumb[ -]?prints?|retina(?:l)?(?:[ \t]+scan)?|iris(?:[ \t]+scan)?|voice[ -]?prints?|face|facial(?:[ \t]+(?:recognition|scan))?|palm[ -]?prints?|palm[ \t]+vein|hand[ \t]+geometry|biometric)(?:[ \t]+(?:template[ \t]+(?:id\b|hash\b)|template\b|id\b|identifier\b|hash\b|code\b|key\b|record\b))?{MARK}[ \t]*[:#=]?[ \t]*(?P<v>[A-Za-z0-9][A-Za-z0-9-]{{5,63}})\b"
            ),
            biometric,
        ),
        // Other identifying numbers after their cue: "accession # S21-00456", "specimen ID
        // SP-2231", "encounter #: 100234567", "visit number V00912", "CSN 4400912871",
        // "FIN 22019934", "study ID ABC-001", "subject ID 0042", "participant ID P-1187",
        // "trial ID T2-0042", "enrollment # 3391", "badge # 40921", "employee ID E55120",
        // "case # 21-0457", "requisition # R77812", "order # 889120", "claim # C7781200",
        // "ref # 8336652". The value is 3-20 letters, digits and dashes with a digit.
        // Most cue words are everyday words ("visit 2", "case 2 of 3", "order of magnitude",
        // "study of 30 patients", "reference range"), so all but "accession", "CSN" and "FIN"
        // need a marker after them: "#", "no.", "number", "ID" (":" alone is enough only for
        // accession, specimen, encounter and requisition, which label forms). "CSN" and "FIN"
        // must be upper case ("fin" is a word).
        Pattern::new(
            "other_id.cue",
            Kind::OtherId,
            0.8,
            format!(
                r"(?i)\b(?:accession\b{MARK}(?:[ \t]*id\b)?|acc\.?[ \t]*#|(?:specimen|encounter|requisition)\b(?:{MARK_REQ}|[ \t]*:)|(?:visit|enrol?l?ment|badge|employee|case|order|claim|reference|ref\.?|sample|study|subject|participant|trial|research|registry|req\.?)\b{MARK_REQ}|(?-i:CSN|FIN)\b){SEP}(?P<v>[A-Za-z0-9][A-Za-z0-9-]{{1,18}}[A-Za-z0-9])\b"
            ),
            other_id,
        ),
    ]
}

/// `(01)` + GTIN-14 + optional elements: the GTIN's check digit must hold.
fn gs1_udi(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let gtin = ctx.text().get(hit.whole.start + 4..hit.whole.start + 18)?;
    checksum::gtin(gtin).then_some(hit.found)
}

/// A device value after a cue (see `device.cue` and `device.udi`).
fn device_value(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let value = ctx.slice(hit.found.span);
    if value.starts_with('(') || value.starts_with('+') {
        // GS1 or HIBCC after "UDI": a trailing '.' ends the sentence, not the code.
        let trimmed = value.trim_end_matches('.');
        let mut found = hit.found;
        found.span = Span::new(found.span.start, found.span.start + trimmed.len());
        return (trimmed.len() > 5).then_some(found);
    }
    if !is_code(ctx, hit.found.span, 3) {
        return None;
    }
    let cue = ctx.slice(Span::new(hit.whole.start, hit.found.span.start));
    let bare_serial = cue.trim_end().eq_ignore_ascii_case("serial");
    if bare_serial && !(value.len() >= 4 && looks_like_code(value)) {
        return None;
    }
    Some(hit.found)
}

/// A VIN-shaped value after "VIN": letters and digits both present.
fn vin_cue(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let v = ctx.slice(hit.found.span);
    (has_digit(v) && v.bytes().any(|b| b.is_ascii_alphabetic())).then_some(hit.found)
}

/// A bare VIN: letters and digits both present and a valid check digit.
fn vin_bare(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let v = ctx.slice(hit.found.span);
    (has_digit(v) && v.bytes().any(|b| b.is_ascii_alphabetic()) && checksum::vin(v))
        .then_some(hit.found)
}

/// A license plate value after its cue (see `vehicle.plate`).
fn plate(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let mut found = hit.found;
    let value = ctx.slice(found.span);
    // Decide whether a space-separated second part belongs to the plate.
    if let Some((first, second)) = value.split_once(' ') {
        let upper = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        };
        let letters = |s: &str| s.bytes().all(|b| b.is_ascii_alphabetic());
        let first_mixed = has_digit(first) && first.bytes().any(|b| b.is_ascii_alphabetic());
        // "ABC 1234", "123 ABC", "9GHK 221" and the British "KX51 ABC" are one plate; after
        // a plate that is already mixed, a word ("7ABC123 MA", "7ABC123 on file") is not.
        let british = first.len() == 4 && second.len() == 3 && letters(second);
        let digits = second.bytes().all(|b| b.is_ascii_digit());
        let joined = (!first_mixed || british || digits)
            && upper(first)
            && upper(second)
            && value.len() <= 9;
        if !joined {
            found.span = Span::new(found.span.start, found.span.start + first.len());
        }
    }
    let value = ctx.slice(found.span);
    let alnum = value.bytes().filter(u8::is_ascii_alphanumeric).count();
    let letters = value.bytes().filter(u8::is_ascii_alphabetic).count();
    if !(2..=8).contains(&alnum) || !has_digit(value) || measure_follows(ctx, found.span) {
        return None;
    }
    if is_measure(value) || is_frequency(value) {
        return None;
    }
    // A marker or "license"/"tag" makes the cue strong; "plate", "reg." and "car registration"
    // alone are weak.
    let cue = ctx
        .slice(Span::new(hit.whole.start, hit.found.span.start))
        .to_ascii_lowercase();
    let strong = cue.contains(['#', ':', '='])
        || cue.split(|c: char| !c.is_ascii_alphabetic()).any(|w| {
            matches!(
                w,
                "no" | "num" | "number" | "license" | "licence" | "lic" | "tag"
            )
        });
    let weak = !strong;
    if weak && letters < 2 {
        return None;
    }
    Some(found)
}

/// A biometric template identifier: 6+ characters with a digit, not a measurement.
fn biometric(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let cue = ctx
        .slice(Span::new(hit.whole.start, hit.found.span.start))
        .to_ascii_lowercase();
    let mut words = cue.split(|c: char| !c.is_ascii_alphanumeric());
    let id_word = words.clone().any(|w| {
        matches!(
            w,
            "id" | "identifier"
                | "template"
                | "hash"
                | "code"
                | "key"
                | "record"
                | "no"
                | "num"
                | "number"
        )
    });
    // A marker alone ("Fingerprint: ...") is enough only where the modality word cannot be an
    // exam heading: "Face: 12x15mm abrasion", "Iris: 3mm" are findings, not identifiers.
    let unambiguous = words.next().is_some_and(|w| {
        ["finger", "thumb", "voice", "palm", "biometric"]
            .iter()
            .any(|m| w.starts_with(m))
    });
    let marker = cue.contains([':', '#', '=']);
    if !(id_word || (marker && unambiguous)) {
        return None;
    }
    is_code(ctx, hit.found.span, 6).then_some(hit.found)
}

/// Another identifying number after its cue (see `other_id.cue`).
fn other_id(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    is_code(ctx, hit.found.span, 3).then_some(hit.found)
}

/// Whether the value at `span` reads as an issued code: at least `min_len` characters, a digit,
/// not a measurement or frequency, not date-shaped, not followed by a unit.
fn is_code(ctx: &Context<'_>, span: Span, min_len: usize) -> bool {
    let v = ctx.slice(span);
    v.len() >= min_len
        && has_digit(v)
        && !is_measure(v)
        && !is_frequency(v)
        && !is_date_like(v)
        && !measure_follows(ctx, span)
}

fn has_digit(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit())
}

/// A code rather than a number-word pair: after a bare "serial", "12-lead", "6-hr", "3hour"
/// and "2D" are counts of things, while "RXT300184", "88213-0042" and "60012345" are codes.
fn looks_like_code(v: &str) -> bool {
    let digits = v.bytes().take_while(u8::is_ascii_digit).count();
    let rest = v.get(digits..).unwrap_or("").trim_start_matches('-');
    let number_then_word = digits > 0
        && digits <= 3
        && !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_alphabetic());
    let all_digits = digits == v.len();
    !number_then_word && (!all_digits || v.len() >= 5)
}

/// "12mm", "5cm", "90%", "10units": a number glued to a unit.
pub(crate) fn is_measure(v: &str) -> bool {
    let digits = v
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    if digits == 0 {
        return false;
    }
    let unit = v.get(digits..).unwrap_or("");
    !unit.is_empty() && GLUED_UNITS.iter().any(|u| unit.eq_ignore_ascii_case(u))
}

/// "q4h", "q12", "x3": a frequency or count, not a code.
fn is_frequency(v: &str) -> bool {
    let b = v.as_bytes();
    match b.first() {
        Some(b'q' | b'Q' | b'x' | b'X') => {
            let rest = &b[1..];
            let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
            digits > 0
                && digits <= 2
                && rest[digits..]
                    .iter()
                    .all(|c| matches!(c, b'h' | b'H' | b'd' | b'D'))
                && rest.len() - digits <= 1
        }
        _ => false,
    }
}

/// "2021-03-04", "03-04-2021", "3-4-21": a date written with dashes (a date, not an id).
fn is_date_like(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
        && (parts[0].len() == 4 || parts[2].len() >= 2)
        && parts[1].len() <= 2
}

/// Whether "%" or a unit word follows the value at `span`: "serial 90% LCX", "plate 12 mm",
/// "order # 100 mg".
pub(crate) fn measure_follows(ctx: &Context<'_>, span: Span) -> bool {
    let t = ctx.after(span.end, 12).trim_start_matches([' ', '\t']);
    if t.starts_with('%') {
        return true;
    }
    let len = t.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = t.get(..len).unwrap_or("");
    let alone = !t
        .as_bytes()
        .get(len)
        .is_some_and(|b| b.is_ascii_alphanumeric());
    alone && WORD_UNITS.iter().any(|u| word.eq_ignore_ascii_case(u))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Scanner;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn scanner() -> &'static Scanner {
        static S: OnceLock<Scanner> = OnceLock::new();
        S.get_or_init(|| Scanner::new().expect("built-in patterns compile"))
    }

    proptest! {
        /// Cue words, codes, separators and non-ASCII text in any order: the checks never
        /// panic and every finding lies on character boundaries.
        #[test]
        fn checks_never_panic(text in "(serial|S/N|SN:|UDI|\\(01\\)|\\+H|VIN|plate|reg\\.|tag #|iris code|fingerprint:|accession|visit #|CSN|zip|, MA|Massachusetts|St|[0-9]{1,6}|[A-Z0-9]{17}|[ \n:#.,$/-]|é|中|[a-zA-Z]{1,5}){0,30}") {
            for f in scanner().scan(&text) {
                prop_assert!(text.is_char_boundary(f.span.start));
                prop_assert!(text.is_char_boundary(f.span.end));
                prop_assert!(f.span.start < f.span.end && f.span.end <= text.len());
            }
        }
    }

    #[test]
    fn code_shapes() {
        assert!(looks_like_code("RXT300184"));
        assert!(looks_like_code("88213-0042"));
        assert!(looks_like_code("60012345"));
        assert!(!looks_like_code("12-lead"));
        assert!(!looks_like_code("6hr"));
        assert!(!looks_like_code("1500"));
        assert!(is_measure("12mm"));
        assert!(is_measure("2.5cm"));
        assert!(!is_measure("12AB"));
        assert!(is_frequency("q4h"));
        assert!(is_frequency("x3"));
        assert!(!is_frequency("Q4H7721"));
        assert!(is_date_like("2021-03-04"));
        assert!(is_date_like("03-04-2021"));
        assert!(!is_date_like("21-0457"));
        assert!(!is_date_like("S21-00456"));
    }
}
