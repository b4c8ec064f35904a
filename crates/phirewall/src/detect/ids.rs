//! SSN, MRN, HEALTH_PLAN, ACCOUNT and LICENSE: identifying numbers issued to a person.
//!
//! Two kinds of evidence make a number one of these identifiers:
//!
//! - **A cue right before it.** "MRN:", "Member ID #", "Acct no.", "DL#" and their relatives
//!   name the number that follows. Such patterns start at the cue, so they win over any
//!   shape-only pattern that would start later, at the number itself. The finding covers only
//!   the value (group `v`), and the value must contain a digit and be at least four characters:
//!   "family member 2", "license to practice", "took into account 3 factors" and "DL PICC" (a
//!   double-lumen line) are prose, not identifiers.
//! - **A shape with a check digit or a strict structure.** Dashed SSNs with a possible area,
//!   group and serial; Luhn-valid card numbers with a card issuer's prefix; IBANs (mod 97);
//!   Medicare Beneficiary Identifiers (their fixed letter/digit layout); DEA numbers (their check
//!   digit); NPIs (Luhn with the `80840` prefix). These are found without a cue, at a lower score
//!   than when a cue confirms them.
//!
//! A bare 9-digit number is never an identifier on its shape alone (it is as likely a lab
//! accession or a count); it becomes an SSN after an SSN cue, or an ABA routing number after a
//! routing cue when its check digit holds.
//!
//! Shape-only matches that are glued to more of a code ("12-123-45-6789", "4111111111111111-2")
//! are rejected: they are a fragment of something longer, not this identifier.

use super::{checksum, Context, Cue, Finding, Hit, Pattern};
use crate::{Kind, Span};

/// Cue phrases the checks look for near a bare number. Cues that introduce a value directly
/// ("MRN", "member ID", ...) are part of the patterns instead, so they need no entry here.
pub(crate) const CUES: &[(&str, Cue)] = &[
    ("ssn", Cue::Ssn),
    ("ssn#", Cue::Ssn),
    ("ss#", Cue::Ssn),
    ("ss #", Cue::Ssn),
    ("ss no", Cue::Ssn),
    ("ss no.", Cue::Ssn),
    ("soc sec", Cue::Ssn),
    ("soc. sec.", Cue::Ssn),
    ("soc sec #", Cue::Ssn),
    ("soc sec no", Cue::Ssn),
    ("social sec", Cue::Ssn),
    ("social security", Cue::Ssn),
    ("social security #", Cue::Ssn),
    ("social security no", Cue::Ssn),
    ("social security number", Cue::Ssn),
    ("routing", Cue::Routing),
    ("routing #", Cue::Routing),
    ("routing no", Cue::Routing),
    ("routing number", Cue::Routing),
    ("routing transit number", Cue::Routing),
    ("transit number", Cue::Routing),
    ("aba", Cue::Routing),
    ("aba #", Cue::Routing),
    ("rtn", Cue::Routing),
    ("npi", Cue::Npi),
    ("npi #", Cue::Npi),
    ("national provider identifier", Cue::Npi),
    ("national provider id", Cue::Npi),
    ("dea", Cue::Dea),
    ("dea #", Cue::Dea),
    ("dea number", Cue::Dea),
    ("dea registration", Cue::Dea),
];

/// How far (in bytes, same line) a cue may end before the number it names.
const CUE_GAP: usize = 24;

/// How far an SSN cue may end before a bare 9-digit number: enough for "social security number
/// of patient: ", short enough that "SSN unknown; HCV RNA 123456789" stays a lab value.
const SSN_GAP: usize = 16;

/// What may stand between a cue and its value: spaces and tabs, up to three of `: # = . -`
/// ("MRN #:", "Policy No. -"), and a linking "is"/"was"/"of" ("MRN is 1234567").
const SEP: &str = r"(?:[ \t]*[:#=.\-]){0,3}[ \t]*(?:(?:is|was|of)[ \t]+)?";

/// The word that turns a noun into a cue: "#", "no.", "num", "number", "ID", "nbr".
const MARK: &str = r"[ \t]*(?:#|no\b\.?|nbr\b\.?|num\b\.?|number\b|id\b)";

/// An identifier value, as printed after its cue: either a short token followed by groups of
/// digits separated by single spaces ("4111 1111 1111 1111", "XYZ 123456789", "123 456 789"), or
/// one token of letters, digits and inner dashes of up to 24 characters. The grouped form comes
/// first so that it wins when it applies; its first token is 2 to 6 characters, so "12345678
/// 100 mg" stays the single token "12345678". Each check enforces its kind's length and asks
/// for a digit.
const VALUE: &str =
    r"(?:[A-Za-z0-9]{2,6}(?:[ ]\d{3,12}){1,3}|[A-Za-z0-9](?:[A-Za-z0-9-]{0,22}[A-Za-z0-9])?)";

/// MRN cues. "MR" alone is mitral regurgitation, so it needs "#", "no." or "number"; "unit",
/// "hospital" and "chart" need a marker too ("2 units", "hospital day 3").
const MRN_CUES: &str = concat!(
    r"mrn(?:[ \t]*(?:#|no\b\.?|number\b))?",
    r"|mr[ \t]?(?:#|no\b\.?|num\b\.?|number\b)",
    r"|med(?:ical|\.)?[ \t]?rec(?:ords?|\.)?[ \t]*(?:#|no\b\.?|num\b\.?|number\b|:)",
    r"|chart[ \t]*(?:#|no\b\.?|number\b)",
    r"|unit[ \t]*(?:#|no\b\.?|number\b)",
    r"|hosp(?:ital|\.)?[ \t]*(?:#|no\b\.?|number\b)",
);

/// Health plan cue nouns; each needs a [`MARK`] ("member ID", "policy #", "group number").
const PLAN_NOUNS: &str =
    r"member|policy|group|subscriber|medicaid|medicare|insurance|health[ \t]*plan|beneficiary|hic";

/// Account cue nouns that need a [`MARK`] or a colon.
const ACCOUNT_NOUNS: &str = r"account|billing|card|credit[ \t]*card|debit[ \t]*card";

/// License cue nouns that need a [`MARK`].
const LICENSE_NOUNS: &str =
    r"licen[cs]e|lic\.?|certificate|certification|cert\.?|registration|reg\.?";

/// Cue-and-value patterns, then shape patterns. Order matters only between patterns that can
/// match at the same position: cue patterns start at the cue, before any shape pattern could.
pub(crate) fn patterns() -> Vec<Pattern> {
    vec![
        // "MRN: 00123456", "MR# A1234567", "Med Rec No. 55-10-2398", "Hosp # 7712345".
        Pattern::new(
            "mrn.cue",
            Kind::Mrn,
            0.9,
            format!(r"(?i)\b(?:{MRN_CUES}){SEP}\b(?P<v>{VALUE})\b"),
            mrn_value,
        ),
        // "Member ID: XGH123456789", "Policy # 88-1234-77", "Medicaid: 12345678AB", "HICN 123456789A".
        Pattern::new(
            "health_plan.cue",
            Kind::HealthPlan,
            0.9,
            format!(
                r"(?i)\b(?:(?:{PLAN_NOUNS}){MARK}|hicn|mbi|medica(?:id|re)[ \t]*:){SEP}\b(?P<v>{VALUE})\b"
            ),
            plan_value,
        ),
        // "Acct # 5512-0098", "account number: 00012345678", "card # 4111 1111 1111 1111",
        // "bank account 12345678", "card ending in 4242".
        Pattern::new(
            "account.cue",
            Kind::Account,
            0.9,
            format!(
                r"(?i)\b(?:(?:{ACCOUNT_NOUNS}){MARK}|account[ \t]*:|acct\b\.?(?:{MARK})?|bank[ \t]+account|(?:credit|debit)[ \t]+card|(?:card|account)[ \t]+ending(?:[ \t]+in)?){SEP}\b(?P<v>{VALUE})\b"
            ),
            account_value,
        ),
        // "DL# S123-4567-8901", "driver's license: D1234567", "License #: 12-34567",
        // "DEA: AB1234563", "Cert. No. C-20331". "DL" is matched in capitals only ("mg/dL").
        Pattern::new(
            "license.cue",
            Kind::License,
            0.9,
            format!(
                r"(?i)(?:\b(?-i:DL)(?:{MARK})?|\bdriver'?s?[ \t]*lic(?:en[cs]e|\.)?(?:{MARK})?|\bmedical[ \t]+licen[cs]e|\b(?:{LICENSE_NOUNS}){MARK}|\bdea\b(?:{MARK}|[ \t]*registration)?){SEP}\b(?P<v>{VALUE})\b"
            ),
            license_value,
        ),
        // "NPI: 1234567893": the cue pattern starts before any phone or number pattern could.
        Pattern::new(
            "license.npi_cue",
            Kind::License,
            0.95,
            format!(r"(?i)\bnpi(?:{MARK})?{SEP}\b(?P<v>\d{{10}})\b"),
            npi_cued,
        ),
        // "123-45-6789", "123 45 6789".
        Pattern::new(
            "ssn.separated",
            Kind::Ssn,
            0.9,
            r"\b(?:\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4})\b",
            ssn_separated,
        ),
        // "xxx-xx-1234", "XXX-XX-1234", "***-**-1234": the last four digits still identify.
        Pattern::new(
            "ssn.masked",
            Kind::Ssn,
            0.85,
            r"(?:\b[xX]{3}-[xX]{2}|\*{3}-\*{2}|#{3}-#{2})-\d{4}\b",
            ssn_masked,
        ),
        // A bare 9-digit number: an SSN or routing number only with its cue.
        Pattern::new("ssn.bare", Kind::Ssn, 0.9, r"\b\d{9}\b", nine_digits),
        // A bare 10-digit number: an NPI when its check digit holds.
        Pattern::new("license.npi", Kind::License, 0.6, r"\b\d{10}\b", npi_bare),
        // 13 to 19 digits, optionally in groups: a payment card when Luhn and prefix agree.
        Pattern::new(
            "account.card",
            Kind::Account,
            0.85,
            r"\b(?:\d[ -]?){12,18}\d\b",
            card,
        ),
        // "GB82 WEST 1234 5698 7654 32", "DE89370400440532013000".
        Pattern::new(
            "account.iban",
            Kind::Account,
            0.9,
            r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b",
            iban,
        ),
        // "1EG4-TE5-MK73", "1EG4TE5MK73".
        Pattern::new(
            "health_plan.mbi",
            Kind::HealthPlan,
            0.9,
            r"\b[1-9][A-Za-z][A-Za-z0-9]\d-?[A-Za-z][A-Za-z0-9]\d-?[A-Za-z]{2}\d{2}\b",
            mbi,
        ),
        // "AB1234563": registrant type letter, a letter (or 9), seven digits with a check digit.
        Pattern::new(
            "license.dea",
            Kind::License,
            0.75,
            r"\b[ABCDEFGHJKLMPRSTUX][A-Z9]\d{7}\b",
            dea,
        ),
    ]
}

/// Whether a value after a cue looks like an identifier: at least one digit, `min..=max`
/// letters and digits, not a quantity such as "20cm" or "16fr", and not a phone number
/// ("insurance # 1-800-555-0100" gives the plan's phone line; the phone detector reports it).
fn value_ok(value: &str, min: usize, max: usize) -> bool {
    let alnum = value.bytes().filter(u8::is_ascii_alphanumeric).count();
    value.bytes().any(|b| b.is_ascii_digit())
        && (min..=max).contains(&alnum)
        && !is_quantity(value)
        && !is_phone(value)
}

/// A North American phone number written with dashes: `NXX-NXX-XXXX`, optionally after `1-`.
fn is_phone(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    let all_digits = groups
        .iter()
        .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()));
    let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    all_digits && matches!(lens.as_slice(), [3, 3, 4] | [1, 3, 3, 4])
}

/// A number followed by a unit of measure ("20cm", "16fr", "500ml"): a line size or a dose, never
/// an identifier, but it can follow "DL" (double lumen) or "unit".
fn is_quantity(value: &str) -> bool {
    const UNITS: &[&str] = &[
        "cm", "mm", "fr", "ga", "g", "mg", "mcg", "ml", "cc", "kg", "l", "u", "units", "hr", "hrs",
        "min", "mmhg", "meq",
    ];
    let Some(split) = value.find(|c: char| !c.is_ascii_digit()) else {
        return false;
    };
    split > 0 && UNITS.iter().any(|u| value[split..].eq_ignore_ascii_case(u))
}

/// Whether the word right before the cue (on the same line) is one of `words`, ignoring case.
fn word_before_cue_is(ctx: &Context<'_>, hit: Hit, words: &[&str]) -> bool {
    ctx.words_before(hit.whole.start, 1)
        .next()
        .is_some_and(|w| words.iter().any(|x| w.eq_ignore_ascii_case(x)))
}

/// MRN after its cue: 4 to 15 characters with a digit. A "unit #" after a blood product is the
/// product's unit number, not the patient's ("FFP unit # W1234").
fn mrn_value(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    const BLOOD: &[&str] = &[
        "blood",
        "prbc",
        "prbcs",
        "rbc",
        "rbcs",
        "ffp",
        "platelet",
        "platelets",
        "plt",
        "cryo",
    ];
    if word_before_cue_is(ctx, hit, BLOOD) {
        return None;
    }
    value_ok(ctx.slice(hit.found.span), 4, 15).then_some(hit.found)
}

/// Health plan number after its cue: 4 to 20 characters with a digit. Rejected when the cue noun
/// belongs to something else: "family member #2", "hospital policy #12".
fn plan_value(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    const NOT_A_PLAN: &[&str] = &[
        "family",
        "team",
        "staff",
        "crew",
        "hospital",
        "unit",
        "dept",
        "department",
        "nursing",
        "institutional",
        "facility",
        "per",
        "icu",
        "blood",
        "age",
        "study",
        "support",
    ];
    if word_before_cue_is(ctx, hit, NOT_A_PLAN) {
        return None;
    }
    value_ok(ctx.slice(hit.found.span), 4, 20).then_some(hit.found)
}

/// Account number after its cue: 4 to 24 letters and digits with a digit.
fn account_value(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    value_ok(ctx.slice(hit.found.span), 4, 24).then_some(hit.found)
}

/// License or certificate number after its cue. "DL" right after a slash is the unit in
/// "mg/DL"; a registration of a vehicle is a VEHICLE, not a license.
fn license_value(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    const NOT_A_LICENSE: &[&str] = &["vehicle", "car", "auto", "truck", "boat", "plate", "voter"];
    if ctx.before(hit.whole.start, 1) == "/" {
        return None;
    }
    if word_before_cue_is(ctx, hit, NOT_A_LICENSE) {
        return None;
    }
    let value = ctx.slice(hit.found.span);
    if !value_ok(value, 4, 24) {
        return None;
    }
    // A DEA number whose check digit holds is certain; one whose check digit fails after a cue
    // is still reported (a typo leaks as much), with less confidence.
    let score = if !looks_like_dea(value) {
        hit.found.score
    } else if checksum::dea(value) {
        0.95
    } else {
        0.75
    };
    Some(Finding { score, ..hit.found })
}

/// Two letters (or a letter and 9) and seven digits: the shape of a DEA number.
fn looks_like_dea(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 9
        && b[0].is_ascii_alphabetic()
        && (b[1].is_ascii_alphabetic() || b[1] == b'9')
        && b[2..].iter().all(u8::is_ascii_digit)
}

/// NPI after an "NPI" cue: only with a valid check digit.
fn npi_cued(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    checksum::npi(ctx.slice(hit.found.span)).then_some(hit.found)
}

/// Whether area, group and serial could belong to an issued SSN: the area is not 000, 666 or
/// 900-999 (never issued), the group not 00 and the serial not 0000.
fn ssn_possible(digits: &[u8]) -> bool {
    let [a0, a1, a2, g0, g1, s0, s1, s2, s3] = digits else {
        return false;
    };
    let area = [*a0, *a1, *a2];
    area != *b"000"
        && area != *b"666"
        && *a0 != b'9'
        && [*g0, *g1] != *b"00"
        && [*s0, *s1, *s2, *s3] != *b"0000"
}

/// The ASCII digits of a span.
fn digits_of(s: &str) -> Vec<u8> {
    s.bytes().filter(u8::is_ascii_digit).collect()
}

/// Whether an SSN cue names the number at `span`: before it, or right after it ("(SSN)").
fn ssn_cue_near(ctx: &Context<'_>, span: Span) -> bool {
    ctx.cue_before(span.start, Cue::Ssn, SSN_GAP) || ctx.cue_after(span.end, Cue::Ssn, 3)
}

/// "123-45-6789" and "123 45 6789": accepted when the number could be an issued SSN and is not
/// part of a longer code. The spaced form is also rejected inside a run of numbers ("I/O 240 50
/// 1100 300"), where it is more likely a row of values; an SSN cue raises the score.
fn ssn_separated(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    let text = ctx.slice(span);
    // "SSN-123-45-6789": the dash joins the cue, not another part of a code.
    let glued = ctx.glued_before(span.start) && !ctx.cue_before(span.start, Cue::Ssn, 1);
    if !ssn_possible(&digits_of(text)) || glued || ctx.glued_after(span.end) {
        return None;
    }
    let cued = ssn_cue_near(ctx, span);
    let spaced = text.contains(' ');
    if spaced && !cued && (number_before(ctx, span.start) || number_after(ctx, span.end)) {
        return None;
    }
    let score = match (cued, spaced) {
        (true, _) => 0.97,
        (false, false) => hit.found.score,
        (false, true) => 0.7,
    };
    Some(Finding { score, ..hit.found })
}

/// Whether a number (digits, then a space or comma) ends right before `pos`.
fn number_before(ctx: &Context<'_>, pos: usize) -> bool {
    let b = ctx.before(pos, 2).as_bytes();
    matches!(b, [d, b' ' | b','] if d.is_ascii_digit())
}

/// Whether a number (a space or comma, then a digit) starts right after `end`.
fn number_after(ctx: &Context<'_>, end: usize) -> bool {
    let b = ctx.after(end, 2).as_bytes();
    matches!(b, [b' ' | b',', d] if d.is_ascii_digit())
}

/// A masked SSN keeps its last four digits, which still identify: accepted unless the serial is
/// 0000 or the mask is part of a longer run of mask characters or a longer code.
fn ssn_masked(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    let prev = ctx.before(span.start, 1).bytes().next();
    if prev.is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'*' | b'#' | b'-')) {
        return None;
    }
    if ctx.glued_after(span.end) || ctx.slice(span).ends_with("0000") {
        return None;
    }
    let score = if ssn_cue_near(ctx, span) {
        0.95
    } else {
        hit.found.score
    };
    Some(Finding { score, ..hit.found })
}

/// A bare 9-digit number: an ABA routing number (ACCOUNT) after a routing cue when its check
/// digit holds; else an SSN after an SSN cue when it could be an issued SSN; else nothing.
fn nine_digits(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    if ctx.glued_before(span.start) || ctx.glued_after(span.end) {
        return None;
    }
    let text = ctx.slice(span);
    if ctx.cue_before(span.start, Cue::Routing, CUE_GAP) && checksum::aba(text) {
        return Some(Finding {
            kind: Kind::Account,
            detector: "account.aba",
            ..hit.found
        });
    }
    (ssn_cue_near(ctx, span) && ssn_possible(text.as_bytes())).then_some(hit.found)
}

/// A bare 10-digit number: an NPI when the check digit holds and either an NPI cue is near
/// (high score) or it starts with 1, as individual providers' NPIs do (low score). NPIs starting
/// with 2 (organizations) are too easily confused with other numbers without the cue.
fn npi_bare(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    let text = ctx.slice(span);
    if !checksum::npi(text) || ctx.glued_before(span.start) || ctx.glued_after(span.end) {
        return None;
    }
    if ctx.cue_before(span.start, Cue::Npi, CUE_GAP) {
        Some(Finding {
            score: 0.95,
            ..hit.found
        })
    } else {
        text.starts_with('1').then_some(hit.found)
    }
}

/// A payment card number: 13 to 19 digits, Luhn-valid, with the prefix and length of a major
/// issuer (Visa 4; Mastercard 51-55 and 2221-2720; Amex 34, 37; Discover 6011, 644-649, 65;
/// JCB 3528-3589). When grouped, the groups must use one separator, start with four digits and
/// continue in groups of four or six, as cards are printed. The greedy match may run on into a
/// following number ("4111111111111111 5 mg"), so the longest run of whole groups that forms a
/// card is taken, cut only at a space.
fn card(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    let text = ctx.slice(span);
    if ctx.glued_before(span.start) {
        return None;
    }
    // Each group as (length in digits, end offset in `text`, separator after it).
    let mut groups: Vec<(usize, usize, Option<u8>)> = Vec::new();
    let mut run = 0;
    for (i, b) in text.bytes().enumerate() {
        if b.is_ascii_digit() {
            run += 1;
        } else {
            groups.push((run, i, Some(b)));
            run = 0;
        }
    }
    groups.push((run, text.len(), None));
    let first_sep = groups.first().and_then(|g| g.2);
    for n in (1..=groups.len()).rev() {
        let (taken, rest) = groups.split_at(n);
        let end = taken.last().map_or(0, |g| g.1);
        let cut_at = rest.first().map(|_| taken.last().and_then(|g| g.2));
        // Separators inside the card are all the same; a cut is only made at a space.
        let same_sep = taken[..n - 1].iter().all(|g| g.2 == first_sep);
        if !same_sep || cut_at.is_some_and(|sep| sep != Some(b' ')) {
            continue;
        }
        let lens: Vec<usize> = taken.iter().map(|g| g.0).collect();
        let grouping_ok = match lens.as_slice() {
            [single] => (13..=19).contains(single),
            [first, middle @ .., last] => {
                *first == 4 && middle.iter().all(|g| matches!(g, 4 | 6)) && (1..=6).contains(last)
            }
            [] => false,
        };
        let card_text = &text[..end];
        if grouping_ok && card_issuer(&digits_of(card_text)) && checksum::luhn(card_text) {
            let after = span.start + end;
            if ctx.glued_after(after) {
                return None;
            }
            return Some(Finding {
                span: Span::new(span.start, after),
                ..hit.found
            });
        }
    }
    None
}

/// Whether the digits start with a major issuer's prefix and have that issuer's length.
fn card_issuer(d: &[u8]) -> bool {
    let prefix = |n: usize| -> u32 {
        d.iter()
            .take(n)
            .fold(0, |acc, &b| acc * 10 + u32::from(b - b'0'))
    };
    let len = d.len();
    match d.first() {
        Some(b'4') => matches!(len, 13 | 16 | 19),
        Some(b'5') => (51..=55).contains(&prefix(2)) && len == 16,
        Some(b'2') => (2221..=2720).contains(&prefix(4)) && len == 16,
        Some(b'3') => match prefix(2) {
            34 | 37 => len == 15,
            35 => (3528..=3589).contains(&prefix(4)) && (16..=19).contains(&len),
            _ => false,
        },
        Some(b'6') => {
            (prefix(4) == 6011 || (644..=649).contains(&prefix(3)) || prefix(2) == 65)
                && (16..=19).contains(&len)
        }
        _ => false,
    }
}

/// An IBAN, anywhere: the country's length and the mod-97 check must hold. A printed IBAN may be
/// followed by a word of four capitals or digits ("BE68 5390 0754 7034 PAID") that the pattern
/// takes for one more group, so space-separated groups are dropped from the end until the check
/// holds.
fn iban(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    if ctx.glued_before(span.start) {
        return None;
    }
    let text = ctx.slice(span);
    let mut end = text.len();
    loop {
        let candidate = &text[..end];
        if checksum::iban(candidate) {
            let after = span.start + end;
            return (!ctx.glued_after(after)).then_some(Finding {
                span: Span::new(span.start, after),
                ..hit.found
            });
        }
        end = candidate.rfind(' ')?;
    }
}

/// A Medicare Beneficiary Identifier, anywhere: its letter/digit layout is strict enough (no S,
/// L, O, I, B, Z; digits in fixed places) that prose and other codes do not fit it.
fn mbi(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    (checksum::mbi(ctx.slice(span)) && !ctx.glued_before(span.start) && !ctx.glued_after(span.end))
        .then_some(hit.found)
}

/// A DEA number, anywhere its check digit holds; a "DEA" cue before it raises the score.
fn dea(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    if !checksum::dea(ctx.slice(span)) || ctx.glued_before(span.start) || ctx.glued_after(span.end)
    {
        return None;
    }
    let score = if ctx.cue_before(span.start, Cue::Dea, CUE_GAP) {
        0.95
    } else {
        hit.found.score
    };
    Some(Finding { score, ..hit.found })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssn_areas_groups_serials() {
        assert!(ssn_possible(b"123456789"));
        assert!(!ssn_possible(b"000123456"));
        assert!(!ssn_possible(b"666123456"));
        assert!(!ssn_possible(b"912345678"));
        assert!(!ssn_possible(b"123006789"));
        assert!(!ssn_possible(b"123450000"));
        assert!(!ssn_possible(b"12345678"));
    }

    #[test]
    fn card_prefixes() {
        assert!(card_issuer(b"4111111111111111"));
        assert!(card_issuer(b"378282246310005"));
        assert!(!card_issuer(b"37828224631000"));
        assert!(card_issuer(b"2223000048410010"));
        assert!(!card_issuer(b"9111111111111111"));
        assert!(card_issuer(b"6011111111111117"));
        assert!(!card_issuer(b"3400000000000000"));
    }

    #[test]
    fn phones_are_not_values() {
        assert!(is_phone("1-800-555-0100"));
        assert!(is_phone("617-555-0123"));
        assert!(!is_phone("123-45-6789"));
        assert!(!is_phone("88-1234-77"));
        assert!(!value_ok("800-555-0100", 4, 20));
        assert!(value_ok("88-1234-77", 4, 20));
    }

    #[test]
    fn quantities() {
        assert!(is_quantity("20cm"));
        assert!(is_quantity("16FR"));
        assert!(!is_quantity("A1234"));
        assert!(!is_quantity("1234"));
        assert!(!is_quantity("1234AB"));
    }
}
