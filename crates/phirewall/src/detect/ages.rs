//! AGE: ages over 89, the only ages Safe Harbor treats as identifying.
//!
//! Only the age value is reported (`92` in "92 yo"), so that generalization can write "90+ yo".
//! Ages of 89 and below are never reported; ages above 125 are taken as something else (a count,
//! a lab value) rather than an age.

use super::{accept, Context, Cue, Hit, Pattern};
use crate::{Finding, Kind, Span};

/// No cue phrases: the unit or the word "age" is part of each pattern.
pub(crate) const CUES: &[(&str, Cue)] = &[];

/// A number from 90 to 125.
const OVER_89: &str = r"(?:9[0-9]|1[01][0-9]|12[0-5])";

/// Ninety to one hundred and ten, in words.
const OVER_89_WORDS: &str = r"(?:ninety(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?|(?:one\s+|a\s+)?hundred(?:\s+and)?(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine|ten))?)";

/// The unit after an age: "yo", "y/o", "y.o.", "yr old", "years old", "year-old", "years of age".
const UNIT: &str = r"(?:y/o|y\.o\.?|yo(?:[mf])?\b|yrs?\.?(?:\s*-?\s*old)?\b|years?(?:\s*-\s*old|\s+old|\s+of\s+age)?\b|year-old\b)";

pub(crate) fn patterns() -> Vec<Pattern> {
    vec![
        // "92 yo", "93-year-old", "101 y/o", "95 years of age", "92yoF".
        Pattern::new(
            "age.number_unit",
            Kind::Age,
            0.95,
            format!(r"(?i)\b{OVER_89}(?:\s*-\s*|\s*){UNIT}"),
            leading_number,
        ),
        // "age 95", "aged 97", "Age: 101".
        Pattern::new(
            "age.cue_number",
            Kind::Age,
            0.9,
            format!(r"(?i)\bage[d]?\s*(?:[:=]|of|is)?\s*{OVER_89}\b"),
            trailing_number,
        ),
        // "ninety-two year old", "one hundred and one years old".
        Pattern::new(
            "age.words_unit",
            Kind::Age,
            0.9,
            format!(r"(?i)\b(?P<v>{OVER_89_WORDS})(?:\s*-\s*|\s+){UNIT}"),
            accept,
        ),
    ]
}

/// Narrows "92 yo" to its number: the digits the match starts with. Cheaper than a capture
/// group, which would run a backtracking search over the match; exact here because the number
/// ([`OVER_89`]) is followed by a space, a dash or a unit, never by another digit.
fn leading_number(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let whole = hit.found.span;
    let digits = ctx
        .slice(whole)
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    (digits > 0).then_some(Finding {
        span: Span::new(whole.start, whole.start + digits),
        ..hit.found
    })
}

/// Narrows "age 95" to its number: the digits the match ends with (exact for the same reason:
/// the cue before the number ends in a space, `:`, `=` or a letter).
fn trailing_number(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let whole = hit.found.span;
    let digits = ctx
        .slice(whole)
        .bytes()
        .rev()
        .take_while(u8::is_ascii_digit)
        .count();
    (digits > 0).then_some(Finding {
        span: Span::new(whole.end - digits, whole.end),
        ..hit.found
    })
}
