//! ZIP: five-digit ZIP codes and ZIP+4, only where the text says they are part of an address.
//!
//! A bare five-digit number is far more often something else in clinical text: a CPT code
//! (99213), a count or lab value (WBC 12000), a record or room number. So a ZIP is reported only
//! in one of three contexts:
//!
//! 1. After a ZIP cue: "zip", "zip code", "ZIP:", "postal code is".
//! 2. After a US state or territory, written out ("Massachusetts 02114-2696") or as its USPS
//!    abbreviation ("Boston, MA 02114"). Two-letter abbreviations are also words and clinical
//!    shorthand ("IN", "OR" operating room, "ME", "MD" doctor, "PA" physician assistant, "CA"
//!    cancer), so an abbreviation counts only when it is upper case and
//!    - follows a comma (", MA 02114"): the city, state order of an address. "MD" after a comma
//!      is also how a physician signs ("Lee, MD 40112"), so for "MD" the ZIP must also fall in
//!      Maryland's ZIP ranges; or
//!    - follows a capitalized, city-like word and the ZIP falls in that state's ZIP ranges
//!      ("Boston MA 02114", but not "Transferred to OR 12345" or "IN 02114").
//!
//!    A lower-case abbreviation ("boston, ma 02114") counts after a comma when the ZIP falls in
//!    the state's ranges.
//! 3. At the end of a line that reads as an address: a house number, a street name and a street
//!    word (St, Street, Ave, Road, Rd, Blvd, Lane, Dr, Way, Ct, ...) earlier on the same line
//!    ("45 Elm Street, Springfield 01103").
//!
//! In every context the number must stand alone: not part of "12345-67", "12345.6", "$12345",
//! and not followed by a unit or "%".
//!
//! The pattern starts on the digits themselves (not on a state or street word) so that a
//! rejected candidate can hide only patterns that also start on a five-digit number.

use super::other_ids::measure_follows;
use super::{accept, Context, Cue, Hit, Pattern};
use crate::{Finding, Kind, Span};

/// ZIP cue phrases, used by the ZIP check and available to address detectors.
pub(crate) const CUES: &[(&str, Cue)] = &[
    ("zip", Cue::Zip),
    ("zip code", Cue::Zip),
    ("zipcode", Cue::Zip),
    ("zip/postal code", Cue::Zip),
    ("postal code", Cue::Zip),
    ("postcode", Cue::Zip),
];

/// A US state, the District of Columbia or an inhabited territory.
struct State {
    /// USPS abbreviation, upper case.
    abbr: &'static str,
    /// Name as written in addresses.
    name: &'static str,
    /// Inclusive ranges of the first three ZIP digits assigned to it (USPS sectional centers).
    zip3: &'static [(u16, u16)],
}

const fn st(abbr: &'static str, name: &'static str, zip3: &'static [(u16, u16)]) -> State {
    State { abbr, name, zip3 }
}

/// The 50 states, DC and the five inhabited territories, with their three-digit ZIP prefixes.
const STATES: &[State] = &[
    st("AL", "Alabama", &[(350, 369)]),
    st("AK", "Alaska", &[(995, 999)]),
    st("AZ", "Arizona", &[(850, 865)]),
    st("AR", "Arkansas", &[(716, 729), (755, 755)]),
    st("CA", "California", &[(900, 961)]),
    st("CO", "Colorado", &[(800, 816)]),
    st("CT", "Connecticut", &[(60, 69)]),
    st("DE", "Delaware", &[(197, 199)]),
    st("DC", "District of Columbia", &[(200, 205), (569, 569)]),
    st("FL", "Florida", &[(320, 349)]),
    st("GA", "Georgia", &[(300, 319), (398, 399)]),
    st("HI", "Hawaii", &[(967, 968)]),
    st("ID", "Idaho", &[(832, 838)]),
    st("IL", "Illinois", &[(600, 629)]),
    st("IN", "Indiana", &[(460, 479)]),
    st("IA", "Iowa", &[(500, 528)]),
    st("KS", "Kansas", &[(660, 679)]),
    st("KY", "Kentucky", &[(400, 427)]),
    st("LA", "Louisiana", &[(700, 714)]),
    st("ME", "Maine", &[(39, 49)]),
    st("MD", "Maryland", &[(206, 219)]),
    st("MA", "Massachusetts", &[(10, 27), (55, 55)]),
    st("MI", "Michigan", &[(480, 499)]),
    st("MN", "Minnesota", &[(550, 567)]),
    st("MS", "Mississippi", &[(386, 397)]),
    st("MO", "Missouri", &[(630, 658)]),
    st("MT", "Montana", &[(590, 599)]),
    st("NE", "Nebraska", &[(680, 693)]),
    st("NV", "Nevada", &[(889, 898)]),
    st("NH", "New Hampshire", &[(30, 38)]),
    st("NJ", "New Jersey", &[(70, 89)]),
    st("NM", "New Mexico", &[(870, 884)]),
    st("NY", "New York", &[(5, 5), (63, 63), (100, 149)]),
    st("NC", "North Carolina", &[(270, 289)]),
    st("ND", "North Dakota", &[(580, 588)]),
    st("OH", "Ohio", &[(430, 459)]),
    st("OK", "Oklahoma", &[(730, 749)]),
    st("OR", "Oregon", &[(970, 979)]),
    st("PA", "Pennsylvania", &[(150, 196)]),
    st("RI", "Rhode Island", &[(28, 29)]),
    st("SC", "South Carolina", &[(290, 299)]),
    st("SD", "South Dakota", &[(570, 577)]),
    st("TN", "Tennessee", &[(370, 385)]),
    st("TX", "Texas", &[(733, 733), (750, 799), (885, 885)]),
    st("UT", "Utah", &[(840, 847)]),
    st("VT", "Vermont", &[(50, 59)]),
    st("VA", "Virginia", &[(201, 201), (220, 246)]),
    st("WA", "Washington", &[(980, 994)]),
    st("WV", "West Virginia", &[(247, 268)]),
    st("WI", "Wisconsin", &[(530, 549)]),
    st("WY", "Wyoming", &[(820, 831)]),
    st("PR", "Puerto Rico", &[(6, 7), (9, 9)]),
    st("VI", "Virgin Islands", &[(8, 8)]),
    st("GU", "Guam", &[(969, 969)]),
    st("AS", "American Samoa", &[(967, 967)]),
    st("MP", "Northern Mariana Islands", &[(969, 969)]),
];

/// Street words that end the street part of an address line.
const STREET_WORDS: &[&str] = &[
    "st",
    "street",
    "ave",
    "av",
    "avenue",
    "rd",
    "road",
    "blvd",
    "boulevard",
    "ln",
    "lane",
    "dr",
    "drive",
    "way",
    "ct",
    "court",
    "pl",
    "place",
    "ter",
    "terrace",
    "cir",
    "circle",
    "pkwy",
    "parkway",
    "hwy",
    "highway",
    "sq",
    "square",
    "ave.",
];

/// Capitalized words that precede a two-letter abbreviation in notes without being a city:
/// "SEEN BY PA", "TO OR", "PT IN".
const NOT_A_CITY: &[&str] = &[
    "to", "in", "of", "the", "and", "or", "for", "on", "at", "by", "from", "with", "per", "pt",
    "is", "was", "as", "no", "not", "seen", "called", "paged", "page", "dr", "see", "room", "rm",
    "bed", "unit", "floor", "cxr", "ct", "mri", "status", "post", "via",
];

/// The USPS abbreviations as bits: bit `second letter` of entry `first letter`. The place rules
/// ask about every two-letter word after a comma ("BP 120/80, HR 88"), so one bit test.
const ABBR_BITS: [u32; 26] = {
    let mut bits = [0u32; 26];
    let mut i = 0;
    while i < STATES.len() {
        let b = STATES[i].abbr.as_bytes();
        bits[(b[0] - b'A') as usize] |= 1 << (b[1] - b'A');
        i += 1;
    }
    bits
};

/// The first words of the state names as (first letter, last letter, length) bits, to dismiss
/// most words after a comma with one bit test.
const FIRST_WORDS: [u32; 676] = {
    let mut bits = [0u32; 676];
    let mut i = 0;
    while i < STATES.len() {
        let name = STATES[i].name.as_bytes();
        let mut n = 0;
        while n < name.len() && name[n] != b' ' {
            n += 1;
        }
        let first = name[0].to_ascii_lowercase() - b'a';
        let last = name[n - 1].to_ascii_lowercase() - b'a';
        bits[first as usize * 26 + last as usize] |= 1 << n;
        i += 1;
    }
    bits
};

/// Whether `t` is a USPS state or territory abbreviation ("MA", "ma"), for the place rules.
pub(crate) fn is_state_abbr(t: &str) -> bool {
    match t.as_bytes() {
        [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
            let (a, b) = (a.to_ascii_uppercase() - b'A', b.to_ascii_uppercase() - b'A');
            ABBR_BITS
                .get(usize::from(a))
                .is_some_and(|bits| bits & (1 << b) != 0)
        }
        _ => false,
    }
}

/// Whether `rest` starts with a state or territory name as a whole word ("Massachusetts, ...",
/// "NEW YORK 10021"), for the place rules.
pub(crate) fn starts_with_state_name(rest: &str) -> bool {
    let bytes = rest.as_bytes();
    let n = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (Some(first), Some(last)) = (bytes.first(), n.checked_sub(1).and_then(|l| bytes.get(l)))
    else {
        return false;
    };
    let at = usize::from(first.to_ascii_lowercase() - b'a') * 26
        + usize::from(last.to_ascii_lowercase() - b'a');
    if n >= 32 || !FIRST_WORDS.get(at).is_some_and(|bits| bits & (1 << n) != 0) {
        return false;
    }
    // The first word of the name has the length of `rest`'s first word: one byte test
    // dismisses the other states before their names are compared.
    STATES.iter().any(|s| {
        let name = s.name.as_bytes();
        name.get(n).map_or(true, |&b| b == b' ')
            && rest
                .get(..s.name.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(s.name))
            && !bytes
                .get(s.name.len())
                .is_some_and(u8::is_ascii_alphanumeric)
    })
}

pub(crate) fn patterns() -> Vec<Pattern> {
    vec![
        // A post office box: "P.O. Box 123", "PO Box #4471", "Post Office Box 12". The words
        // "PO box" are distinctive enough alone ("po" alone is "by mouth", but never before
        // "box"); the box number is part of the address. The rest of the address (street,
        // city) is the place rules' business (places.rs).
        Pattern::new(
            "address.po_box",
            Kind::StreetAddress,
            0.85,
            r"\b(?i:p\.?[ \t]?o\.?[ \t]?box|post[ \t]+office[ \t]+box)[ \t]*(?:#|no\.?)?[ \t]*[0-9]{1,6}\b",
            accept,
        ),
        // A five-digit number, optionally with a four-digit extension, accepted only in an
        // address context (see the module docs).
        Pattern::new(
            "zip.context",
            Kind::Zip,
            0.85,
            r"\b[0-9]{5}(?:-[0-9]{4})?\b",
            zip,
        ),
    ]
}

fn zip(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.whole;
    if !stands_alone(ctx, span) || measure_follows(ctx, span) {
        return None;
    }
    let zip3: u16 = ctx.slice(span).get(..3)?.parse().ok()?;
    let mut found = hit.found;
    if zip_cue_before(ctx, span.start) {
        found.score = 0.9;
        return Some(found);
    }
    if state_before(ctx, span.start, zip3) {
        return Some(found);
    }
    if address_line(ctx, span) {
        found.score = 0.8;
        return Some(found);
    }
    None
}

/// Not glued to other numbers or symbols: "$12345", "1.12345", "12345-67", "12345/2", "12345.5".
fn stands_alone(ctx: &Context<'_>, span: Span) -> bool {
    let before = ctx.before(span.start, 1);
    if before.ends_with(['-', '/', '.', '$', '+', '=']) {
        return false;
    }
    let after = ctx.after(span.end, 2).as_bytes();
    match after {
        [b'-' | b'/' | b'.' | b':' | b','] => true,
        [b'-' | b'/' | b'.' | b':' | b',', next, ..] => !next.is_ascii_digit(),
        _ => true,
    }
}

/// Whether a ZIP cue ends right before `pos`, with only ":", "#", "=", "-" or "is" between.
fn zip_cue_before(ctx: &Context<'_>, pos: usize) -> bool {
    let head = ctx.before(pos, 24);
    let mut t = head.trim_end_matches([' ', '\t', ':', '#', '=', '-']);
    if let Some(rest) = t
        .len()
        .checked_sub(3)
        .and_then(|i| t.get(i..))
        .filter(|s| s.eq_ignore_ascii_case(" is"))
        .and_then(|_| t.get(..t.len() - 3))
    {
        t = rest.trim_end_matches([' ', '\t', ':']);
    }
    ctx.cue_before(pos - (head.len() - t.len()), Cue::Zip, 0)
}

/// Whether a state name or a USPS abbreviation, in address position, ends right before `pos`.
fn state_before(ctx: &Context<'_>, pos: usize, zip3: u16) -> bool {
    let line_start = ctx.line_start_after(pos.saturating_sub(48), pos);
    let head = ctx.before(pos, pos - line_start);
    let t = head.trim_end_matches([' ', '\t']);
    if t.len() == head.len() {
        return false; // "MA02114" is not written; require a space
    }
    let t = t.strip_suffix(',').unwrap_or(t);
    full_name_before(t) || abbreviation_before(t, zip3)
}

/// "Massachusetts", "New York", "NORTH CAROLINA" at the end of `t`, capitalized, as whole words.
fn full_name_before(t: &str) -> bool {
    STATES.iter().any(|s| {
        let Some(start) = t.len().checked_sub(s.name.len()) else {
            return false;
        };
        let Some(tail) = t.get(start..) else {
            return false;
        };
        let whole_word = !t
            .as_bytes()
            .get(start.wrapping_sub(1))
            .is_some_and(u8::is_ascii_alphanumeric);
        tail.eq_ignore_ascii_case(s.name)
            && whole_word
            && tail.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
    })
}

/// A USPS abbreviation at the end of `t`, in address position (see the module docs).
fn abbreviation_before(t: &str, zip3: u16) -> bool {
    let Some(split) = t.len().checked_sub(2) else {
        return false;
    };
    let (Some(rest), Some(abbr)) = (t.get(..split), t.get(split..)) else {
        return false;
    };
    if !abbr.bytes().all(|c| c.is_ascii_alphabetic())
        || rest
            .as_bytes()
            .last()
            .is_some_and(u8::is_ascii_alphanumeric)
    {
        return false;
    }
    let Some(state) = STATES.iter().find(|s| s.abbr.eq_ignore_ascii_case(abbr)) else {
        return false;
    };
    let in_range = state.zip3.iter().any(|&(lo, hi)| (lo..=hi).contains(&zip3));
    let upper = abbr.bytes().all(|c| c.is_ascii_uppercase());
    let rest = rest.trim_end_matches([' ', '\t']);
    if rest.ends_with(',') {
        return if upper && state.abbr != "MD" {
            true
        } else {
            in_range
        };
    }
    if !upper || !in_range || rest.len() == split {
        return false;
    }
    // The word before must look like a city: capitalized, not a function word.
    let len = rest
        .bytes()
        .rev()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    let word = &rest[rest.len() - len..];
    len >= 2
        && word.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
        && !NOT_A_CITY.iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// Whether the number ends its line, and the line before it reads as a street address: a house
/// number, one to four street-name words, and a street word, then at most six more words (unit,
/// city, state) before the ZIP.
///
/// Only the last [`ADDRESS_REACH`] bytes before the number are read (an address is a dozen
/// tokens at most), so the cost per number stays constant on a long line.
fn address_line(ctx: &Context<'_>, span: Span) -> bool {
    // The rest of the line: stop at the first byte that is not a space or closing punctuation.
    let after = ctx.text().as_bytes().get(span.end..).unwrap_or_default();
    let ends_line = after
        .iter()
        .find(|&&b| b == b'\n' || !(b.is_ascii_whitespace() || b".,;)".contains(&b)))
        .map_or(true, |&b| b == b'\n');
    if !ends_line {
        return false;
    }
    let from = span.start.saturating_sub(ADDRESS_REACH);
    let line_start = ctx.line_start_after(from, span.start);
    let head = ctx.before(span.start, span.start - line_start);
    let mut tokens: Vec<&str> = head
        .split(|c: char| c.is_ascii_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    if line_start == from && from > 0 && !tokens.is_empty() {
        // The window cut the line: its first token may be cut too.
        tokens.remove(0);
    }
    let n = tokens.len();
    // The street word nearest the ZIP, at most seven tokens back.
    let Some(street) = (n.saturating_sub(7)..n).rev().find(|&i| {
        tokens.get(i).is_some_and(|t| {
            STREET_WORDS
                .iter()
                .any(|w| t.trim_end_matches('.').eq_ignore_ascii_case(w))
        })
    }) else {
        return false;
    };
    // A house number two to five tokens before the street word, street-name words between.
    (street.saturating_sub(5)..street.saturating_sub(1)).any(|j| {
        tokens.get(j).is_some_and(|t| is_house_number(t))
            && tokens
                .get(j + 1..street)
                .is_some_and(|name| name.iter().all(|w| is_name_word(w)))
    })
}

/// How far before a ZIP code [`address_line`] reads, in bytes.
const ADDRESS_REACH: usize = 256;

/// "12", "1200", "12B", "12-14".
fn is_house_number(t: &str) -> bool {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let rest = t.get(digits..).unwrap_or("");
    (1..=6).contains(&digits)
        && (rest.is_empty()
            || (rest.len() == 1 && rest.bytes().all(|b| b.is_ascii_alphabetic()))
            || (rest.len() > 1
                && rest.starts_with('-')
                && rest[1..].bytes().all(|b| b.is_ascii_digit())))
}

/// A word of a street name: "Elm", "N.", "5th", "Martin", "O'Neil".
fn is_name_word(w: &str) -> bool {
    w.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'\'' || b == b'-')
        && w.bytes().any(|b| b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Scanner;

    #[test]
    fn state_names_at_the_start() {
        for rest in [
            "Massachusetts, 02114",
            "NEW YORK 10021",
            "north dakota",
            "West Virginia.",
            "Northern Mariana Islands",
            "Guam",
        ] {
            assert!(starts_with_state_name(rest), "{rest}");
        }
        for rest in [
            "New Yorker",
            "Newark",
            "New",
            "Washingtonville",
            "Virgin",
            "Maine2",
            "Iowan",
            "",
        ] {
            assert!(!starts_with_state_name(rest), "{rest}");
        }
    }

    /// The ZIP findings in `text`, as strings (other kinds are other families' business).
    fn zips(text: &str) -> Vec<String> {
        let scanner = Scanner::new().expect("built-in patterns compile");
        scanner
            .scan(text)
            .into_iter()
            .filter(|f| f.kind == Kind::Zip)
            .map(|f| text[f.span.range()].to_string())
            .collect()
    }

    #[test]
    fn table_is_consistent() {
        assert_eq!(STATES.len(), 56);
        for s in STATES {
            assert_eq!(s.abbr.len(), 2);
            assert!(s.abbr.bytes().all(|b| b.is_ascii_uppercase()));
            assert!(!s.zip3.is_empty());
            assert!(s.zip3.iter().all(|&(lo, hi)| lo <= hi && hi <= 999));
        }
    }

    #[test]
    fn city_state_zip() {
        assert_eq!(zips("Lives in Springfield, MA 01103."), ["01103"]);
        assert_eq!(zips("Boston, Massachusetts 02114-2696"), ["02114-2696"]);
        assert_eq!(zips("BURLINGTON VT 05401"), ["05401"]);
        assert_eq!(zips("Bethesda, MD 20814"), ["20814"]);
        assert_eq!(zips("Portland OR 97201"), ["97201"]);
        assert_eq!(zips("portland, or 97201"), ["97201"]);
    }

    #[test]
    fn city_state_zip_rejects() {
        // Capitalized word before an abbreviation, ZIP outside the state's ranges.
        assert!(zips("Transferred to OR 12345").is_empty());
        assert!(zips("Portland OR 12345").is_empty());
        // A physician's signature, not Maryland.
        assert!(zips("Attending, MD 40112").is_empty());
        // Function word before the abbreviation.
        assert!(zips("SEEN BY PA 19104").is_empty());
        // Lower case after a capitalized word.
        assert!(zips("Seen in 02114").is_empty());
        assert!(zips("Went IN 02114 times").is_empty());
    }

    #[test]
    fn address_lines() {
        assert_eq!(zips("Address: 45 Elm Street, Springfield 01103"), ["01103"]);
        assert_eq!(
            zips("Home: 1200 W 5th Ave, Anytown 60611\nPhone on file"),
            ["60611"]
        );
        assert_eq!(zips("88 Harbor Way 02110."), ["02110"]);
        // Not at the end of the line.
        assert!(zips("45 Elm Street 01103 units of heparin given").is_empty());
        // No house number.
        assert!(zips("Walked down the street 12000 steps").is_empty());
    }
}
