//! Consistent surrogates: a realistic replacement of the same shape, chosen by
//! HMAC(secret, kind, normalized value).
//!
//! Because the choice depends only on the secret and the value, the same value gets the same
//! surrogate in every document, shard and run with no table to share. Names and places are
//! replaced word by word (each word keyed by itself), so "John Smith", "Mr. Smith", "SMITH, JOHN"
//! and "J. Smith" stay coherent: "Smith" always becomes the same surname, "John" the same given
//! name, and an initial becomes the initial of that given name (initials go through one keyed
//! permutation of the alphabet, and a given name is drawn among names starting with its
//! permuted initial). Case is copied word by word.
//!
//! Identifiers keep their separators and come from ranges that are never issued where one
//! exists: SSNs 9xx-xx-xxxx, phones 555-01xx, e-mail at example.org, URLs under example.org, IPs
//! in the documentation blocks (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32,
//! or ::ffff:192.0.2.x for an address written from "::"),
//! ZIP codes 000xx, payment cards in the 424242 test range. Numbers that carry a check digit
//! (cards, NPI, DEA, VIN, ABA, GTIN, IBAN, HIBCC) get a valid one, and identifiers with a fixed
//! structure keep it: an IBAN its country and length, an MBI its letter and digit positions
//! (without the letters MBIs never use), a VIN its alphabet (no I, O, Q), a DEA number its
//! registrant type, a GS1 UDI its application identifiers, with a new GTIN and valid dates.
//! NPI, DEA, IBAN and most record numbers have no reserved range: their surrogates are random
//! of the right shape and may exist somewhere.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use super::hash::normalize;
use super::{match_case, Keys, Stream};
use crate::detect::checksum;
use crate::dict::{Class, Dict, Entry};
use crate::{Finding, Kind};

/// The surrogate of `value`.
#[cfg(test)]
pub(crate) fn surrogate(keys: Keys<'_>, dict: &Dict, f: &Finding, value: &str) -> String {
    let mut out = String::new();
    surrogate_into(&mut out, keys, dict, f, value);
    out
}

/// Appends the surrogate of `value` to `out`. Names and places are written word by word
/// straight into `out` (a note's output text): they are most of the surrogates of a note.
pub(crate) fn surrogate_into(
    out: &mut String,
    keys: Keys<'_>,
    dict: &Dict,
    f: &Finding,
    value: &str,
) {
    // Names and places are keyed word by word, not by the whole value: they need no stream of
    // their own (drawing one would cost an HMAC and two blocks for nothing).
    if matches!(
        f.kind,
        Kind::Name | Kind::City | Kind::County | Kind::Location | Kind::StreetAddress
    ) {
        words_into(out, keys, dict, f.kind, value);
    } else {
        out.push_str(&of_identifier(keys, f, value));
    }
}

/// The surrogate of a value that is not a name or place: drawn from one keyed stream of the
/// whole (normalized) value.
fn of_identifier(keys: Keys<'_>, f: &Finding, value: &str) -> String {
    let norm = normalize(f.kind, value);
    let mut stream = keys.stream(&[b"surrogate", f.kind.as_str().as_bytes(), norm.as_bytes()]);
    let s = &mut stream;
    match f.kind {
        Kind::Ssn => ssn(s, value),
        Kind::Phone | Kind::Fax => phone(s, value),
        Kind::Email => email(s, value),
        Kind::Url => url(s, value),
        Kind::Ip => ip(s, value),
        Kind::Zip => fill_digits(
            value,
            &mut "000".chars().chain(std::iter::from_fn(|| Some(s.digit()))),
        ),
        Kind::Age => age(s, value),
        _ => identifier(s, value),
    }
}

/// An identifier: by its structure when it has a known one, else by shape and check digit.
/// The structure is read from the value (not from the detector that found it), so an IBAN
/// found after an "account #" cue is replaced as an IBAN too.
fn identifier(s: &mut Stream, value: &str) -> String {
    if checksum::iban(value) {
        return iban(s, value);
    }
    if checksum::mbi(value) {
        return mbi(s, value);
    }
    if value.starts_with("(01)") {
        if let Some(udi) = gs1(s, value) {
            return udi;
        }
    }
    if value.starts_with('+') && hibcc_valid(value) {
        return hibcc(s, value);
    }
    with_check(s, value)
}

/// Letters stay letters (same case), digits stay digits, everything else is copied.
///
/// The result has the length of `value`, so it is allocated once at that size (collecting the
/// characters would start at a quarter and grow).
fn shape(s: &mut Stream, value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    shape_into(&mut out, s, value);
    out
}

/// [`shape`], appended to `out`.
fn shape_into(out: &mut String, s: &mut Stream, value: &str) {
    for c in value.chars() {
        out.push(if c.is_ascii_digit() {
            s.digit()
        } else if c.is_ascii_uppercase() {
            s.letter().to_ascii_uppercase()
        } else if c.is_ascii_lowercase() {
            s.letter()
        } else {
            c
        });
    }
}

/// Writes the digits of `next` over the digits of `value`, keeping every other character.
fn fill_digits(value: &str, next: &mut dyn Iterator<Item = char>) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        out.push(if c.is_ascii_digit() {
            next.next().unwrap_or('0')
        } else {
            c
        });
    }
    out
}

/// A shape-preserving surrogate whose check digit is valid when the original's was: the shape
/// is drawn, then the check position is tried with every digit (or `X` for a VIN) until the
/// same validator accepts it.
///
/// The first validator that accepts the original decides, so the specific ones come first: a
/// 9-digit routing number that happens to pass Luhn too must stay a routing number.
fn with_check(s: &mut Stream, value: &str) -> String {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let name = if (13..=19).contains(&digits) && checksum::luhn(value) {
        "card"
    } else if checksum::npi(value) {
        "npi"
    } else if checksum::dea(value) {
        "dea"
    } else if checksum::aba(value) {
        "aba"
    } else if checksum::vin(value) {
        "vin"
    } else if checksum::gtin(value) {
        "gtin"
    } else if checksum::luhn(value) {
        "luhn"
    } else {
        return shape(s, value);
    };
    let (check, last): (fn(&str) -> bool, bool) = match name {
        "card" | "luhn" => (checksum::luhn, true),
        "npi" => (checksum::npi, true),
        "dea" => (checksum::dea, true),
        "aba" => (checksum::aba, true),
        "vin" => (checksum::vin, false),
        _ => (checksum::gtin, true),
    };
    if name == "card" {
        // A payment card: 424242 is the processors' test range.
        let mut fixed = "424242"
            .chars()
            .chain(std::iter::from_fn(|| Some(s.digit())));
        return fix(fill_digits(value, &mut fixed), check, last);
    }
    let mut drawn = if name == "vin" {
        vin_shape(s, value)
    } else {
        shape(s, value)
    };
    // Leading characters that name a category rather than the holder are kept: a DEA number's
    // registrant type (A, B, F, M, ...) and a second-character 9, an NPI's first digit (1 or 2, the only ones issued),
    // a routing number's Federal Reserve district (its first two digits).
    let keep = match name {
        // A DEA number's second character is a letter, or 9 for some registrants: a 9 stays.
        "dea" if value.as_bytes().get(1) == Some(&b'9') => 2,
        "dea" | "npi" => 1,
        "aba" => 2,
        _ => 0,
    };
    if keep > 0 {
        if let (Some(head), Some(rest)) = (value.get(..keep), drawn.get(keep..)) {
            drawn = format!("{head}{rest}");
        }
    }
    fix(drawn, check, last)
}

/// Letters never used in VINs (they look like 1, 0 and 0).
const VIN_LETTERS: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXYZ";

/// [`shape`] over the VIN alphabet.
fn vin_shape(s: &mut Stream, value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                s.digit()
            } else if c.is_ascii_alphabetic() {
                let l = pick_byte(s, VIN_LETTERS);
                if c.is_ascii_lowercase() {
                    l.to_ascii_lowercase()
                } else {
                    l
                }
            } else {
                c
            }
        })
        .collect()
}

/// One byte of a non-empty alphabet, as a char.
fn pick_byte(s: &mut Stream, alphabet: &[u8]) -> char {
    let i = s.below(alphabet.len() as u64) as usize;
    char::from(alphabet.get(i).copied().unwrap_or(b'A'))
}

/// An IBAN of the same country and length: the account part (BBAN) is drawn letter for letter
/// and digit for digit, then the two check digits are computed (ISO 7064 mod 97-10), so the
/// result passes the same check as the original. Spaces stay where they were.
fn iban(s: &mut Stream, value: &str) -> String {
    // Positions 0-1: the country, kept; 2-3: check digits, computed; 4..: the BBAN, drawn.
    let mut chars: Vec<char> = Vec::with_capacity(value.len());
    let mut n = 0;
    for c in value.chars() {
        if c == ' ' {
            chars.push(c);
            continue;
        }
        chars.push(match n {
            0 | 1 => c.to_ascii_uppercase(),
            2 | 3 => '0',
            _ if c.is_ascii_digit() => s.digit(),
            _ => s.letter().to_ascii_uppercase(),
        });
        n += 1;
    }
    let compact: Vec<char> = chars.iter().copied().filter(|&c| c != ' ').collect();
    let rearranged = compact.iter().skip(4).chain(compact.iter().take(4));
    let mut rem: u32 = 0;
    for c in rearranged {
        rem = match c.to_digit(36) {
            Some(v) if v >= 10 => (rem * 100 + v) % 97,
            Some(v) => (rem * 10 + v) % 97,
            None => rem,
        };
    }
    let check = 98 - rem;
    let check_digits = [
        char::from(b'0' + (check / 10) as u8),
        char::from(b'0' + (check % 10) as u8),
    ];
    for (k, c) in chars.iter_mut().filter(|c| **c != ' ').enumerate() {
        if let Some(&d) = check_digits.get(k.wrapping_sub(2)) {
            *c = d;
        }
    }
    chars.into_iter().collect()
}

/// Letters an MBI may contain: no S, L, O, I, B or Z (they look like digits).
const MBI_LETTERS: &[u8] = b"ACDEFGHJKMNPQRTUVWXY";

/// An MBI drawn position by position under the CMS format: position 1 a digit 1-9, letters
/// where the format wants letters (from the MBI alphabet), digits where it wants digits, and
/// in the either-positions (3 and 6) the same kind as the original. Dashes and case are kept.
fn mbi(s: &mut Stream, value: &str) -> String {
    let mut n = 0;
    value
        .chars()
        .map(|c| {
            if c == '-' {
                return c;
            }
            let pos = n;
            n += 1;
            let letter = |s: &mut Stream| {
                let l = pick_byte(s, MBI_LETTERS);
                if c.is_ascii_lowercase() {
                    l.to_ascii_lowercase()
                } else {
                    l
                }
            };
            match pos {
                0 => char::from(b'1' + s.below(9) as u8),
                1 | 4 | 7 | 8 => letter(s),
                2 | 5 if c.is_ascii_alphabetic() => letter(s),
                _ => s.digit(),
            }
        })
        .collect()
}

/// A GS1 UDI, `(01)<GTIN-14>(17)<YYMMDD>(10)<lot>(21)<serial>`: the application identifiers
/// stay; the GTIN gets new digits (its first, the packaging level, kept) and a valid check
/// digit; dates (AIs 11, 13, 15, 16, 17) become valid dates; lots, serials and other values are
/// drawn by shape. `None` if the value is not made of `(AI)value` elements.
fn gs1(s: &mut Stream, value: &str) -> Option<String> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while !rest.is_empty() {
        let ai_end = rest.strip_prefix('(')?.find(')')? + 1;
        let ai = rest.get(1..ai_end)?;
        if !ai.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let after = rest.get(ai_end + 1..)?;
        let len = after.find('(').unwrap_or(after.len());
        let data = after.get(..len)?;
        out.push('(');
        out.push_str(ai);
        out.push(')');
        match ai {
            "01" => {
                let first = data.get(..1)?;
                if data.len() != 14 || !data.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let drawn: String = std::iter::once(first.to_string())
                    .chain((1..14).map(|_| s.digit().to_string()))
                    .collect();
                out.push_str(&fix(drawn, checksum::gtin, true));
            }
            "11" | "13" | "15" | "16" | "17" if data.len() == 6 => {
                let (y, m, d) = (20 + s.below(20), 1 + s.below(12), 1 + s.below(28));
                out.push_str(&format!("{y:02}{m:02}{d:02}"));
            }
            _ => out.push_str(&shape(s, data)),
        }
        rest = after.get(len..)?;
    }
    Some(out)
}

/// The value of an HIBCC character in its mod-43 check: digits, letters, then `-. $/+%`.
fn hibcc_value(c: u8) -> Option<u32> {
    let c = c.to_ascii_uppercase();
    Some(match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'A'..=b'Z' => u32::from(c - b'A') + 10,
        _ => 36 + b"-. $/+%".iter().position(|&x| x == c)? as u32,
    })
}

/// The HIBCC check character for `data` (everything before the check character).
fn hibcc_check(data: &str) -> Option<char> {
    let mut sum = 0;
    for b in data.bytes() {
        sum += hibcc_value(b)?;
    }
    let v = (sum % 43) as u8;
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%"
        .get(usize::from(v))
        .map(|&b| char::from(b))
}

/// Whether an HIBCC string ("+H123PROD1/$$3210101LOT1A") ends in its own check character.
fn hibcc_valid(value: &str) -> bool {
    let (Some(data), Some(last)) = (
        value.get(..value.len().saturating_sub(1)),
        value.bytes().last(),
    ) else {
        return false;
    };
    value.len() > 2 && hibcc_check(data) == Some(char::from(last.to_ascii_uppercase()))
}

/// An HIBCC UDI with a valid check character: the labeler code (the four characters after
/// `+`) and every other letter and digit are drawn by shape, the check character recomputed.
fn hibcc(s: &mut Stream, value: &str) -> String {
    let data = value.get(..value.len().saturating_sub(1)).unwrap_or(value);
    let drawn = shape(s, data).to_ascii_uppercase();
    match hibcc_check(&drawn) {
        Some(check) => format!("{drawn}{check}"),
        None => shape(s, value),
    }
}

/// Tries candidates at the check position: the last digit, or a VIN's ninth character.
fn fix(candidate: String, check: fn(&str) -> bool, last: bool) -> String {
    let mut chars: Vec<char> = candidate.chars().collect();
    let pos = if last {
        chars.iter().rposition(char::is_ascii_digit)
    } else {
        chars
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_ascii_alphanumeric())
            .nth(8)
            .map(|(i, _)| i)
    };
    let Some(pos) = pos else { return candidate };
    for c in ('0'..='9').chain(std::iter::once('X')) {
        if let Some(slot) = chars.get_mut(pos) {
            *slot = c;
        }
        let s: String = chars.iter().collect();
        if check(&s) {
            return s;
        }
    }
    candidate
}

/// 9xx-xx-xxxx: area numbers 900-999 are never issued. Group 00 and serial 0000 are avoided so
/// the result still looks like a valid SSN. Other digit counts (a masked "xxx-xx-1234") get
/// random digits and keep their mask: mask letters are not part of the number.
fn ssn(s: &mut Stream, value: &str) -> String {
    let count = value.chars().filter(char::is_ascii_digit).count();
    if count != 9 {
        return fill_digits(value, &mut std::iter::from_fn(|| Some(s.digit())));
    }
    let mut digits = vec!['9'];
    digits.extend((0..2).map(|_| s.digit()));
    let group = 1 + s.below(99);
    let serial = 1 + s.below(9999);
    digits.extend(format!("{group:02}{serial:04}").chars());
    fill_digits(value, &mut digits.into_iter())
}

/// NANP numbers become 555-01xx (reserved for fiction) with a random valid area code; a seven
/// digit number becomes 555-01xx; other shapes (international) get random digits.
fn phone(s: &mut Stream, value: &str) -> String {
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    let first_digit = value.bytes().find(u8::is_ascii_digit);
    // Drawn first whatever the shape: the order of the draws decides every later one.
    let n = s.below(100) as u8;
    let line = [b'5', b'5', b'5', b'0', b'1', b'0' + n / 10, b'0' + n % 10];
    // The new digits are written over the old ones straight from the parts (no string per
    // part: phone numbers are among the most frequent identifiers).
    let as_char = |d: &u8| char::from(*d);
    match digits {
        7 => fill_digits(value, &mut line.iter().map(as_char)),
        10 => {
            let area = area(s);
            fill_digits(value, &mut area.iter().chain(&line).map(as_char))
        }
        11 if first_digit == Some(b'1') => {
            let area = area(s);
            let digits = b"1".iter().chain(&area).chain(&line);
            fill_digits(value, &mut digits.map(as_char))
        }
        // International numbers and extensions: new digits; letters ("x", "ext") are labels.
        // After a "+" the first digit stays: it opens the country code, and a drawn 1 would
        // make it a North American number (0 opens none).
        _ => {
            let mut keep = value.trim_start().starts_with('+');
            let kept = value.chars().find(char::is_ascii_digit);
            let mut digits = std::iter::from_fn(|| {
                if std::mem::take(&mut keep) {
                    kept
                } else {
                    Some(s.digit())
                }
            });
            fill_digits(value, &mut digits)
        }
    }
}

/// A plausible NANP area code: `[2-9][0-8][0-9]`, not an N11 code; its three ASCII digits.
fn area(s: &mut Stream) -> [u8; 3] {
    loop {
        let a = 2 + s.below(8) as u8;
        let b = s.below(9) as u8;
        let c = s.below(10) as u8;
        if !(b == 1 && c == 1) {
            return [b'0' + a, b'0' + b, b'0' + c];
        }
    }
}

/// The local part keeps its shape; the domain becomes example.org (reserved, RFC 2606).
fn email(s: &mut Stream, value: &str) -> String {
    match value.rsplit_once('@') {
        Some((local, _)) => {
            const DOMAIN: &str = "@example.org";
            let mut out = String::with_capacity(local.len() + DOMAIN.len());
            shape_into(&mut out, s, local);
            out.push_str(DOMAIN);
            out
        }
        None => shape(s, value),
    }
}

/// Scheme and "www." are kept, the host becomes a label of the same length under example.org,
/// and the path keeps its shape.
fn url(s: &mut Stream, value: &str) -> String {
    let (scheme, rest) = match value.find("://") {
        Some(i) => value.split_at(i + 3),
        None => ("", value),
    };
    let host_end = rest.find(['/', '?', '#', ':']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(host_end);
    let (www, host) = match host.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("www.") => host.split_at(4),
        _ => ("", host),
    };
    let label_len = host.split('.').next().map_or(4, str::len).clamp(3, 12);
    let label: String = (0..label_len).map(|_| s.letter()).collect();
    format!("{scheme}{www}{label}.example.org{}", shape(s, path))
}

/// Addresses in the blocks reserved for documentation (RFC 5737, RFC 3849).
fn ip(s: &mut Stream, value: &str) -> String {
    if value.starts_with("::") {
        // Written from "::" (leading zero groups): the surrogate starts the same way, as the
        // IPv4-mapped form of 192.0.2.x, so it joins its neighbours as the original did (a
        // "2001:..." after a letter or "_" would read as one word).
        return format!("::ffff:c000:2{:02x}", 1 + s.below(254));
    }
    if value.contains(':') {
        return format!("2001:db8::{:x}:{:x}", s.below(0x10000), s.below(0x10000));
    }
    let net = s.pick(&["192.0.2", "198.51.100", "203.0.113"]);
    format!("{net}.{}", 1 + s.below(254))
}

/// An age over 89 stays over 89 (90 to 104), in digits or words as it was written.
fn age(s: &mut Stream, value: &str) -> String {
    if value.chars().any(|c| c.is_ascii_digit()) {
        let old: u64 = value.parse().unwrap_or(0);
        let mut new = 90 + s.below(15);
        if new == old {
            new = if new == 104 { 90 } else { new + 1 };
        }
        return new.to_string();
    }
    const WORDS: &[&str] = &[
        "ninety",
        "ninety-one",
        "ninety-two",
        "ninety-three",
        "ninety-four",
        "ninety-five",
        "ninety-six",
        "ninety-seven",
        "ninety-eight",
        "ninety-nine",
    ];
    let i = s.below(WORDS.len() as u64) as usize;
    let pick = (0..WORDS.len())
        .filter_map(|k| WORDS.get((i + k) % WORDS.len()))
        .find(|w| !w.eq_ignore_ascii_case(value))
        .copied()
        .unwrap_or("ninety");
    match_case(value, pick)
}

/// Names and places, word by word. Titles, suffixes, street types, unit words and facility
/// words are kept ("Dr.", "Jr", "Street", "Apt", "Hospital"); numbers keep their shape; an
/// initial is permuted; every other word is drawn from a list by its own key.
/// The result is appended to `out`.
fn words_into(out: &mut String, keys: Keys<'_>, dict: &Dict, kind: Kind, value: &str) {
    let start = out.len();
    words_with(out, keys, dict, kind, value, false);
    // Generic words are kept so that "12 Elm Street" stays an address, but a value made only of
    // them (the town of "Cove", a name "Van") would then come out unchanged: a leak. Such a
    // value has all its words replaced.
    if out.get(start..) == Some(value) && value.chars().any(char::is_alphabetic) {
        out.truncate(start);
        words_with(out, keys, dict, kind, value, true);
    }
}

/// Replaces each word of `value`, appending to `out`; `force` replaces generic words (titles,
/// particles, street suffixes) too.
fn words_with(out: &mut String, keys: Keys<'_>, dict: &Dict, kind: Kind, value: &str, force: bool) {
    let perm = initials(keys);
    out.reserve(value.len() + 8);
    let mut rest = value;
    while let Some(c) = rest.chars().next() {
        let len = if c.is_alphabetic() {
            word_len(rest)
        } else if c.is_ascii_digit() {
            rest.find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len())
        } else {
            c.len_utf8()
        };
        let (word, tail) = rest.split_at(len);
        rest = tail;
        if c.is_ascii_digit() {
            let mut s = keys.stream(&[
                b"surrogate",
                kind.as_str().as_bytes(),
                b"#",
                word.as_bytes(),
            ]);
            shape_into(out, &mut s, word);
        } else if c.is_alphabetic() {
            let cache = keys.words.filter(|_| keys.attempt == 0);
            if !cache.is_some_and(|cache| cache.append(kind, force, word, out)) {
                let new = replace_word(keys, dict, kind, &perm, word, force);
                out.push_str(&new);
                if let Some(cache) = cache {
                    cache.insert(kind, force, word, new);
                }
            }
        } else {
            out.push(c);
        }
    }
}

/// Name and place words already replaced, by kind and word as written: the same word always
/// gets the same replacement under the same keys (that is the point of keyed surrogates), so
/// a word seen before is looked up instead of drawn again. A draw costs an HMAC, a keyed
/// stream and a dictionary lookup; a corpus repeats its names and places all the time.
///
/// The key is everything [`replace_word`] reads that is not fixed for a [`Deidentifier`]
/// (secret, initials permutation and dictionary are): the kind, the word exactly as written
/// (its case decides the replacement's) and whether generic words are forced. Only first draws
/// are kept (a vault's re-draw mixes its attempt in).
///
/// It holds words of the input, like the texts being processed, for the life of the
/// `Deidentifier`, and never prints them (no `Debug` of its contents). Its size is bounded: a
/// table that reaches its share of [`WORD_CACHE_MAX`] words is emptied and fills again.
///
/// The tables are split into [`WORD_CACHE_SHARDS`] shards by the word, each behind its own
/// lock, so that many threads replacing names at once seldom wait for the same lock.
///
/// [`Deidentifier`]: crate::Deidentifier
#[derive(Default)]
pub(crate) struct WordCache {
    /// Per shard, one table per word kind and `force` (see [`WordCache::slot`]).
    shards: [Mutex<Shard>; WORD_CACHE_SHARDS],
}

/// Words a [`WordCache`] holds at most per kind: about a megabyte, and enough for the frequent
/// names and places of a corpus, which make up most of its occurrences.
const WORD_CACHE_MAX: usize = 1 << 14;

/// Locks of a [`WordCache`].
const WORD_CACHE_SHARDS: usize = 16;

/// The tables of one [`WordCache`] shard: word to replacement, one table per word kind and
/// `force`.
type Shard = [HashMap<Box<str>, Box<str>>; 10];

/// A [`Shard`], locked.
type Tables<'a> = MutexGuard<'a, Shard>;

impl WordCache {
    fn slot(kind: Kind, force: bool) -> Option<usize> {
        let k = match kind {
            Kind::Name => 0,
            Kind::City => 1,
            Kind::County => 2,
            Kind::Location => 3,
            Kind::StreetAddress => 4,
            _ => return None,
        };
        Some(k * 2 + usize::from(force))
    }

    /// The shard of `word`, locked, and the slot of `kind` and `force` in it.
    fn lock(&self, kind: Kind, force: bool, word: &str) -> Option<(Tables<'_>, usize)> {
        let slot = Self::slot(kind, force)?;
        // FNV-1a of the word: cheap, and spreads words evenly over the shards.
        let hash = word.bytes().fold(0x811c_9dc5_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        });
        let shard = self.shards.get(hash as usize % WORD_CACHE_SHARDS)?;
        // A poisoned lock (a panic elsewhere while it was held) only means a lost entry: the
        // table is still a valid map.
        Some((shard.lock().unwrap_or_else(|e| e.into_inner()), slot))
    }

    /// Appends the replacement of `word` to `out` if it is known; returns whether it was.
    fn append(&self, kind: Kind, force: bool, word: &str, out: &mut String) -> bool {
        let Some((tables, slot)) = self.lock(kind, force, word) else {
            return false;
        };
        match tables.get(slot).and_then(|table| table.get(word)) {
            Some(replacement) => {
                out.push_str(replacement);
                true
            }
            None => false,
        }
    }

    fn insert(&self, kind: Kind, force: bool, word: &str, replacement: String) {
        let Some((mut tables, slot)) = self.lock(kind, force, word) else {
            return;
        };
        if let Some(table) = tables.get_mut(slot) {
            if table.len() >= WORD_CACHE_MAX / WORD_CACHE_SHARDS {
                table.clear();
            }
            table.insert(word.into(), replacement.into_boxed_str());
        }
    }
}

/// A word's length in bytes: letters, with apostrophes inside ("O'Brien").
fn word_len(s: &str) -> usize {
    let mut end = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inner_apostrophe = matches!(c, '\'' | '\u{2019}')
            && end > 0
            && chars.peek().is_some_and(|(_, n)| n.is_alphabetic());
        if c.is_alphabetic() || inner_apostrophe {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    end
}

fn replace_word(
    keys: Keys<'_>,
    dict: &Dict,
    kind: Kind,
    perm: &[u8; 26],
    word: &str,
    force: bool,
) -> String {
    let lower = word.to_lowercase();
    let entry = dict.lookup(word);
    let is = |class| entry.is_some_and(|e| e.is(class));
    if word.chars().count() == 1 {
        return match word.chars().next() {
            Some(c) if c.is_ascii_alphabetic() => {
                let p = permuted(perm, c);
                match_case(word, &p.to_string())
            }
            _ => word.to_string(),
        };
    }
    if !force && (is(Class::Title) || KEEP.contains(&lower.as_str())) {
        return word.to_string();
    }
    if !force
        && kind != Kind::Name
        && (is(Class::StreetSuffix) || is(Class::Unit) || is(Class::Facility))
    {
        return word.to_string();
    }
    let pools = pools(dict);
    let lists: &[Vec<String>; 26] = if kind != Kind::Name {
        &pools.places
    } else if entry.is_some_and(|e| {
        e.is(Class::FirstName) && (!e.is(Class::Surname) || e.first_rank < e.surname_rank)
    }) {
        &pools.first
    } else {
        &pools.surnames
    };
    let mut s = keys.stream(&[b"surrogate", kind.as_str().as_bytes(), lower.as_bytes()]);
    let letter = match word.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => {
            usize::from(permuted(perm, c).to_ascii_lowercase() as u8 - b'a')
        }
        _ => s.below(26) as usize,
    };
    let bucket: &[String] = lists.get(letter).map_or(&[], Vec::as_slice);
    if bucket.is_empty() {
        return word.to_string();
    }
    let start = s.below(bucket.len() as u64) as usize;
    // Skip the original itself, so a surrogate never equals the value it replaces.
    let pick = (0..bucket.len())
        .filter_map(|k| bucket.get((start + k) % bucket.len()))
        .find(|w| !w.eq_ignore_ascii_case(word))
        .map_or("Doe", String::as_str);
    match_case(word, pick)
}

/// A keyed permutation of the alphabet, the same for every value under one secret: the letters
/// sorted by their HMAC.
pub(crate) fn initials(keys: Keys<'_>) -> [u8; 26] {
    if let Some(perm) = keys.initials {
        return *perm;
    }
    let mut order: Vec<(u8, [u8; 32])> = (b'a'..=b'z')
        .map(|c| (c, keys.mac(&[b"initial", &[c]])))
        .collect();
    order.sort_by_key(|a| a.1);
    let mut perm = [0u8; 26];
    for (slot, (c, _)) in perm.iter_mut().zip(order) {
        *slot = c;
    }
    perm
}

fn permuted(perm: &[u8; 26], c: char) -> char {
    let i = usize::from(c.to_ascii_lowercase() as u8).wrapping_sub(usize::from(b'a'));
    let p = perm.get(i).copied().map_or(c, char::from);
    if c.is_ascii_uppercase() {
        p.to_ascii_uppercase()
    } else {
        p
    }
}

/// Words of names and places kept as they are: particles and the generic words of place names.
const KEEP: &[&str] = &[
    "of",
    "the",
    "and",
    "at",
    "de",
    "la",
    "van",
    "von",
    "der",
    "del",
    "mc",
    "st",
    "saint",
    "new",
    "fort",
    "port",
    "mount",
    "mt",
    "lake",
    "san",
    "santa",
    "los",
    "las",
    "el",
    "north",
    "south",
    "east",
    "west",
    "county",
    "parish",
    "borough",
    "city",
    "town",
    "township",
    "hospital",
    "medical",
    "center",
    "centre",
    "clinic",
    "general",
    "memorial",
    "university",
    "health",
    "regional",
    "community",
    "nursing",
    "home",
    "rehab",
    "rehabilitation",
    "care",
    "campus",
    "n",
    "s",
    "e",
    "w",
    "ne",
    "nw",
    "se",
    "sw",
];

/// Given names by initial, a few per letter so every permuted initial has a choice.
/// Listed first names up to this rank (SSA counts) serve as surrogate given names.
const POOL_FIRST_RANK: u16 = 1500;

/// Listed surnames up to this rank (Census counts) serve as surrogate surnames.
const POOL_SURNAME_RANK: u16 = 5000;

/// Classes that disqualify a listed name as a surrogate: a surrogate should read as a name and
/// only as a name, so that a detector (ours or a reader) takes it for one.
const NOT_A_SURROGATE: u16 = Class::Drug as u16
    | Class::ClinicalAbbr as u16
    | Class::MedicalTerm as u16
    | Class::Title as u16
    | Class::RelationCue as u16
    | Class::State as u16
    | Class::StateAbbr as u16
    | Class::Facility as u16
    | Class::StreetSuffix as u16
    | Class::Unit as u16
    | Class::City as u16
    | Class::County as u16
    | Class::EnglishWord as u16;

/// The surrogate words by initial letter.
///
/// Names come from the dictionary's own lists: the frequent first names and surnames that are
/// nothing else (no English word, drug, place...). About a hundred per letter, against the four
/// of a hand-written list, makes two different people in one text unlikely to share a surrogate
/// (which a vault could not undo) and keeps a corpus from collapsing onto a few dozen names.
/// The hand-written lists come first in each bucket and fill the letters the data leaves thin.
struct Pools {
    first: [Vec<String>; 26],
    surnames: [Vec<String>; 26],
    places: [Vec<String>; 26],
}

/// Builds the pools now, if nothing has (see [`crate::Deidentifier::warm_up`]).
pub(crate) fn warm_up(dict: &Dict) {
    pools(dict);
}

/// The pool a dictionary term is drawn into (see [`Pools`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pool {
    First,
    Surname,
    Place,
}

/// Which pool a dictionary term (lowercase, as the dictionary stores it) goes to, if any: the
/// frequent first names and surnames that are nothing else, and one-word towns that are no name
/// and nothing else.
///
/// [`Dict::open`] asks this of every term during the one pass over the dictionary it makes
/// anyway and keeps the terms that go somewhere (a few thousand of its 339,000), so that
/// [`pools`] needs no second pass: streaming the whole dictionary costs about 200 million
/// instructions, which was half of a run's start-up.
pub(crate) fn pool_of(term: &[u8], e: Entry) -> Option<Pool> {
    // The integer tests come first and the byte scan last: this runs on every term.
    if e.word_rank != 0 || !(3..=12).contains(&term.len()) {
        return None;
    }
    let plain = e.classes & NOT_A_SURROGATE == 0;
    let first = plain
        && (1..=POOL_FIRST_RANK).contains(&e.first_rank)
        && (e.surname_rank == 0 || e.first_rank <= e.surname_rank);
    let surname = plain && !first && (1..=POOL_SURNAME_RANK).contains(&e.surname_rank);
    // One-word US towns that are no name and nothing else: "Ashford"-like surrogates for
    // streets, towns and hospitals.
    let town = e.is(Class::City)
        && e.classes & (NOT_A_SURROGATE & !(Class::City as u16 | Class::County as u16)) == 0
        && e.first_rank == 0
        && e.surname_rank == 0;
    let pool = if first {
        Pool::First
    } else if surname {
        Pool::Surname
    } else if town {
        Pool::Place
    } else {
        return None;
    };
    term.iter().all(u8::is_ascii_lowercase).then_some(pool)
}

/// The pools, built from the dictionary's pool terms on first use.
fn pools(dict: &Dict) -> &'static Pools {
    static POOLS: std::sync::OnceLock<Pools> = std::sync::OnceLock::new();
    POOLS.get_or_init(|| {
        let seed = |lists: &[&[&str]; 26]| -> [Vec<String>; 26] {
            std::array::from_fn(|i| {
                lists
                    .get(i)
                    .map_or_else(Vec::new, |l| l.iter().map(|w| w.to_string()).collect())
            })
        };
        let mut pools = Pools {
            first: seed(&FIRST),
            surnames: seed(&SURNAMES),
            places: seed(&PLACES),
        };
        dict.for_each_pool_term(|term, e| {
            let (pool, seeds) = match pool_of(term, e) {
                Some(Pool::First) => (&mut pools.first, &FIRST),
                Some(Pool::Surname) => (&mut pools.surnames, &SURNAMES),
                Some(Pool::Place) => (&mut pools.places, &PLACES),
                None => return,
            };
            let Some(letter) = term.first().map(|&c| usize::from(c - b'a')) else {
                return;
            };
            let (Some(bucket), Some(seeds)) = (pool.get_mut(letter), seeds.get(letter)) else {
                return;
            };
            let mut name = String::from_utf8_lossy(term).into_owned();
            if let Some(c) = name.get_mut(..1) {
                c.make_ascii_uppercase();
            }
            // Dictionary terms are distinct and all lowercase, so the only word of the bucket
            // this one can equal (ignoring case) is a hand-written one: checking those few is
            // the same as checking the whole bucket, which holds hundreds.
            if !seeds.iter().any(|w| w.eq_ignore_ascii_case(&name)) {
                bucket.push(name);
            }
        });
        pools
    })
}

const FIRST: [&[&str]; 26] = [
    &["Alice", "Aaron", "Amelia", "Arthur", "Ava"],
    &["Bella", "Benjamin", "Brenda", "Bruce"],
    &["Caroline", "Charles", "Clara", "Colin"],
    &["Daniel", "Diana", "Dorothy", "Dylan"],
    &["Edward", "Elena", "Emma", "Ethan"],
    &["Fiona", "Frank", "Freya", "Felix"],
    &["George", "Grace", "Gloria", "Gavin"],
    &["Hannah", "Henry", "Helen", "Hugo"],
    &["Ian", "Ingrid", "Isaac", "Ivy"],
    &["Jack", "Julia", "Janet", "Joel"],
    &["Karen", "Kevin", "Kathleen", "Kyle"],
    &["Laura", "Leo", "Lillian", "Lucas"],
    &["Margaret", "Martin", "Maya", "Miles"],
    &["Nathan", "Nora", "Nicole", "Nigel"],
    &["Olivia", "Oscar", "Owen", "Opal"],
    &["Paul", "Paula", "Peter", "Phoebe"],
    &["Quentin", "Quinn", "Queenie"],
    &["Rachel", "Raymond", "Rose", "Ruben"],
    &["Samuel", "Sarah", "Sophia", "Stanley"],
    &["Thomas", "Teresa", "Tessa", "Tobias"],
    &["Ursula", "Uriel", "Una"],
    &["Victor", "Vera", "Vivian", "Vincent"],
    &["Walter", "Wendy", "Willa", "Wesley"],
    &["Xavier", "Xena", "Ximena"],
    &["Yolanda", "Yusuf", "Yvonne", "Yara"],
    &["Zachary", "Zoe", "Zelda", "Zane"],
];

/// Surnames by initial.
const SURNAMES: [&[&str]; 26] = [
    &["Abbott", "Alvarez", "Archer", "Atwood"],
    &["Barker", "Bishop", "Brennan", "Burke"],
    &["Carver", "Chandler", "Collins", "Crane"],
    &["Dalton", "Delgado", "Dixon", "Duffy"],
    &["Easton", "Ellis", "Emerson", "Everett"],
    &["Fairbanks", "Fenwick", "Fletcher", "Foley"],
    &["Garner", "Gibbs", "Graves", "Gunther"],
    &["Hale", "Harlow", "Hayes", "Holloway"],
    &["Ingram", "Irving", "Iverson", "Ibarra"],
    &["Jarvis", "Jennings", "Joyner", "Judd"],
    &["Keller", "Kendrick", "Kirby", "Knox"],
    &["Langley", "Lindell", "Lyons", "Lambert"],
    &["Maddox", "Mercer", "Morrow", "Munoz"],
    &["Nash", "Newell", "Norwood", "Norris"],
    &["Oakley", "Ortega", "Osborne", "Overton"],
    &["Palmer", "Pearce", "Porter", "Pruitt"],
    &["Quigley", "Quincy", "Quinlan"],
    &["Ramsey", "Reyes", "Rowland", "Rutledge"],
    &["Sawyer", "Shelton", "Stanton", "Sutton"],
    &["Talbot", "Thorne", "Tucker", "Tyson"],
    &["Underwood", "Upton", "Urquhart"],
    &["Vance", "Vaughn", "Villanueva", "Voss"],
    &["Walden", "Whitaker", "Winslow", "Wyatt"],
    &["Xiong", "Xavier", "Xu"],
    &["Yates", "Yoder", "York", "Young"],
    &["Zamora", "Zeller", "Zimmerman", "Zuniga"],
];

/// Words for towns, streets and facilities, by initial.
const PLACES: [&[&str]; 26] = [
    &["Ashford", "Alder", "Amberly", "Arden"],
    &["Birchwood", "Brookside", "Bayview", "Briar"],
    &["Cedar", "Clearwater", "Crestview", "Cobalt"],
    &["Dunmore", "Driftwood", "Dover", "Dale"],
    &["Elmwood", "Eastbrook", "Emberly", "Edgewater"],
    &["Fairview", "Foxglove", "Fernhill", "Falcon"],
    &["Glenwood", "Greenfield", "Granite", "Gable"],
    &["Hillcrest", "Hawthorn", "Harbor", "Heron"],
    &["Ironwood", "Ivyridge", "Inglewood", "Indigo"],
    &["Juniper", "Jasper", "Jadeport"],
    &["Kingsbury", "Kestrel", "Kinross", "Kettle"],
    &["Lakeview", "Linden", "Laurel", "Larkspur"],
    &["Maple", "Meadowbrook", "Millbrook", "Magnolia"],
    &["Northgate", "Norfield", "Nettle", "Newbridge"],
    &["Oakridge", "Orchard", "Otterbrook", "Ormond"],
    &["Pinehurst", "Pebble", "Poplar", "Prairie"],
    &["Quarry", "Quailridge", "Quill"],
    &["Riverside", "Ridgeway", "Rosewood", "Rookwood"],
    &["Springdale", "Stonebridge", "Sycamore", "Sparrow"],
    &["Timberline", "Thornbury", "Tamarack", "Tidewater"],
    &["Upland", "Umberfield", "Underhill"],
    &["Valleyview", "Verdant", "Vinewood", "Vista"],
    &["Willow", "Westbrook", "Wren", "Woodhaven"],
    &["Xanadu", "Xenith", "Xylo"],
    &["Yarrow", "Yellowpine", "Yorkfield"],
    &["Zephyr", "Zinnia", "Zenith"],
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::MacKey;
    use crate::secret::Secret;
    use crate::Span;

    fn name(secret: &str, value: &str) -> String {
        let secret = Secret::new(secret.as_bytes().to_vec()).expect("long enough");
        let dict = Dict::shared().expect("the dictionary opens");
        let f = Finding {
            kind: Kind::Name,
            span: Span::new(0, value.len()),
            score: 1.0,
            detector: "test",
        };
        surrogate(Keys::new(&MacKey::new(&secret)), dict, &f, value)
    }

    fn of_kind(kind: Kind, value: &str) -> String {
        let secret = Secret::new(b"a test secret of 32 bytes.......".to_vec()).expect("long");
        let dict = Dict::shared().expect("the dictionary opens");
        let f = Finding {
            kind,
            span: Span::new(0, value.len()),
            score: 1.0,
            detector: "test",
        };
        surrogate(Keys::new(&MacKey::new(&secret)), dict, &f, value)
    }

    #[test]
    fn cached_word_surrogates_equal_fresh_ones() {
        let secret = Secret::new(b"a test secret of 32 bytes.......".to_vec()).expect("long");
        let mac = MacKey::new(&secret);
        let dict = Dict::shared().expect("the dictionary opens");
        let cache = WordCache::default();
        let cached = Keys {
            words: Some(&cache),
            ..Keys::new(&mac)
        };
        let fresh = Keys::new(&mac);
        // Case variants, one word under several kinds, and values of generic words only (drawn
        // again with `force`): each is a separate entry, or a cached answer would be wrong.
        let values = [
            (Kind::Name, "John Smith"),
            (Kind::Name, "SMITH, JOHN"),
            (Kind::Name, "smith"),
            (Kind::City, "Smith"),
            (Kind::Location, "Smith Memorial Hospital"),
            (Kind::StreetAddress, "12 Smith Street"),
            (Kind::Name, "Van"),
            (Kind::City, "Van"),
            (Kind::County, "Saint"),
        ];
        for round in 0..2 {
            for (kind, value) in values {
                let f = Finding {
                    kind,
                    span: Span::new(0, value.len()),
                    score: 1.0,
                    detector: "test",
                };
                let want = surrogate(fresh, dict, &f, value);
                let got = surrogate(cached, dict, &f, value);
                assert_eq!(got, want, "round {round}: {kind:?} {value}");
            }
        }
        let cached = cache.shards.iter().any(|shard| {
            let tables = shard.lock().expect("not poisoned");
            tables.iter().any(|t| !t.is_empty())
        });
        assert!(cached, "the words were cached");
    }

    #[test]
    fn masks_and_labels_are_kept() {
        let masked = of_kind(Kind::Ssn, "xxx-xx-1234");
        assert!(masked.starts_with("xxx-xx-"), "mask kept");
        assert_ne!(masked, "xxx-xx-1234");
        let masked = of_kind(Kind::Ssn, "***-**-6789");
        assert!(masked.starts_with("***-**-"));
        let ext = of_kind(Kind::Phone, "617-555-0134 ext 4521");
        assert!(ext.contains(" ext "), "extension label kept");
        assert!(!ext.contains("4521"));
    }

    /// Names are replaced word by word, so every form of one name stays coherent.
    #[test]
    fn name_forms_stay_coherent() {
        let key = "name surrogate secret";
        let full = name(key, "John Smith");
        let (first, last) = full.split_once(' ').expect("two words");
        assert!(first != "John" && last != "Smith", "{full}");
        assert!(first.chars().next().is_some_and(char::is_uppercase));
        assert!(last[1..].chars().all(char::is_lowercase), "{full}");
        assert_eq!(name(key, "Mr. Smith"), format!("Mr. {last}"));
        assert_eq!(
            name(key, "SMITH, JOHN"),
            format!("{}, {}", last.to_uppercase(), first.to_uppercase())
        );
        let initial = &first[..1];
        assert_eq!(name(key, "J. Smith"), format!("{initial}. {last}"));
        assert_eq!(name(key, "smith"), last.to_lowercase());
        // Stable for one secret, different for another.
        assert_eq!(name(key, "John Smith"), full);
        let others: Vec<String> = ["another secret 1", "another secret 2", "another secret 3"]
            .iter()
            .map(|k| name(k, "John Smith"))
            .collect();
        assert!(others.iter().any(|o| *o != full));
    }

    #[test]
    fn the_pool_terms_kept_at_open_are_those_of_a_full_pass() {
        let dict = Dict::shared().expect("the dictionary opens");
        let mut full = Vec::new();
        dict.for_each(|term, e| {
            if let Some(pool) = pool_of(term, e) {
                full.push((term.to_vec(), e, pool));
            }
        });
        let mut kept = Vec::new();
        dict.for_each_pool_term(|term, e| {
            let pool = pool_of(term, e).expect("only pool terms are kept");
            kept.push((term.to_vec(), e, pool));
        });
        assert!(full.len() > 1_000, "{}", full.len());
        assert_eq!(kept, full);
    }

    #[test]
    fn every_initial_has_names() {
        let dict = Dict::shared().expect("the dictionary opens");
        let p = pools(dict);
        for (lists, at_least) in [(&p.first, 10), (&p.surnames, 20), (&p.places, 10)] {
            // The dictionary fills the frequent letters; the hand lists keep the rare ones.
            let total: usize = lists.iter().map(Vec::len).sum();
            assert!(total >= 26 * at_least, "{total}");
            for (i, bucket) in lists.iter().enumerate() {
                let letter = char::from(b'a' + i as u8);
                assert!(bucket.len() >= 3, "{letter}");
                assert!(bucket
                    .iter()
                    .all(|w| w.to_ascii_lowercase().starts_with(letter)
                        && w.chars().next().is_some_and(|c| c.is_ascii_uppercase())));
            }
        }
        for lists in [&FIRST, &SURNAMES, &PLACES] {
            for (i, bucket) in lists.iter().enumerate() {
                let letter = char::from(b'a' + i as u8);
                assert!(bucket.len() >= 3, "{letter}");
                assert!(bucket
                    .iter()
                    .all(|w| w.to_ascii_lowercase().starts_with(letter)));
            }
        }
    }

    #[test]
    fn places_keep_generic_words_and_numbers_shape() {
        let secret = Secret::new(b"place surrogate secret".to_vec()).expect("long enough");
        let dict = Dict::shared().expect("the dictionary opens");
        let f = Finding {
            kind: Kind::StreetAddress,
            span: Span::new(0, 0),
            score: 1.0,
            detector: "test",
        };
        let out = surrogate(
            Keys::new(&MacKey::new(&secret)),
            dict,
            &f,
            "12 Lincoln Street, Apt 4B",
        );
        let words: Vec<&str> = out.split([' ', ',']).filter(|w| !w.is_empty()).collect();
        assert_eq!(words.len(), 5, "{out}");
        assert!(words[0].len() == 2 && words[0].chars().all(|c| c.is_ascii_digit()));
        assert_ne!(words[1], "Lincoln");
        assert_eq!((words[2], words[3]), ("Street", "Apt"));
    }

    #[test]
    fn a_place_of_generic_words_only_is_still_replaced() {
        let secret = Secret::new(b"place surrogate secret".to_vec()).expect("long enough");
        let dict = Dict::shared().expect("the dictionary opens");
        for (kind, value) in [
            (Kind::City, "Cove"),
            (Kind::City, "COVE"),
            (Kind::Location, "Harbor Street"),
            (Kind::Name, "Van"),
        ] {
            let f = Finding {
                kind,
                span: Span::new(0, 0),
                score: 1.0,
                detector: "test",
            };
            let out = surrogate(Keys::new(&MacKey::new(&secret)), dict, &f, value);
            assert!(!out.eq_ignore_ascii_case(value), "{kind} {value} -> {out}");
            assert!(!out.is_empty());
        }
    }
}
