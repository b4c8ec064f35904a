//! PHONE, FAX, EMAIL, URL and IP: identifiers with a shape of their own.
//!
//! Phone and fax numbers share their patterns: a number is a fax number when a fax cue ("fax",
//! "facsimile", "F:") is the nearest phone-or-fax cue before it on its line, or when "(fax)"
//! follows it. Number shapes that other identifiers share (bare ten digits, seven-digit locals,
//! four- and five-digit pager numbers) are only taken after a phone cue, and that cue is part of
//! the regex: such a pattern matches nothing at all without its cue, so it can never hide another
//! family's match of the same digits.
//!
//! Addresses are validated where a validator exists: NANP area codes and exchanges, IPv4 and IPv6
//! with `std::net`'s parsers, URL and e-mail hosts by shape and top-level domain.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::{Context, Cue, Hit, Pattern};
use crate::{Finding, Kind, Span};

/// Cue phrases for this family.
///
/// Phone cues confirm numbers that do not validate on their own (seven-digit locals, bare ten
/// digits, pager numbers). Fax cues turn a phone-shaped number into a FAX. Version cues stop
/// "version 1.2.3.4" from being read as an IP address.
pub(crate) const CUES: &[(&str, Cue)] = &[
    ("fax", Cue::Fax),
    ("faxed", Cue::Fax),
    ("faxing", Cue::Fax),
    ("fax #", Cue::Fax),
    ("fax#", Cue::Fax),
    ("fax no.", Cue::Fax),
    ("fax number", Cue::Fax),
    ("facsimile", Cue::Fax),
    ("f:", Cue::Fax),
    ("tel", Cue::Phone),
    ("tel.", Cue::Phone),
    ("telephone", Cue::Phone),
    ("phone", Cue::Phone),
    ("ph", Cue::Phone),
    ("ph#", Cue::Phone),
    ("call", Cue::Phone),
    ("called", Cue::Phone),
    ("calls", Cue::Phone),
    ("cell", Cue::Phone),
    ("cellphone", Cue::Phone),
    ("mobile", Cue::Phone),
    ("pager", Cue::Phone),
    ("beeper", Cue::Phone),
    ("bpr", Cue::Phone),
    ("page", Cue::Phone),
    ("paged", Cue::Phone),
    ("pg", Cue::Phone),
    ("ext", Cue::Phone),
    ("ext.", Cue::Phone),
    ("extension", Cue::Phone),
    ("contact", Cue::Phone),
    ("home", Cue::Phone),
    ("work", Cue::Phone),
    ("office", Cue::Phone),
    ("reach", Cue::Phone),
    ("reached", Cue::Phone),
    ("h:", Cue::Phone),
    ("w:", Cue::Phone),
    ("c:", Cue::Phone),
    ("version", Cue::Version),
    ("ver", Cue::Version),
    ("ver.", Cue::Version),
    ("v", Cue::Version),
    ("v.", Cue::Version),
    ("rev", Cue::Version),
    ("revision", Cue::Version),
    ("release", Cue::Version),
    ("build", Cue::Version),
    ("firmware", Cue::Version),
];

/// The cue words that may lead a cue-only number (seven digits, bare ten digits, "x4-1234").
/// They mirror the Phone and Fax phrases of [`CUES`]; `f:` is added where the patterns use it.
const CUE_WORDS: &str = r"(?:tel|telephone|phone|ph|call|called|cell|cellphone|mobile|pager|beeper|bpr|page|paged|pg|ext|extension|contact|home|work|office|reach|reached|fax|faxed|facsimile)";

/// The cue words that lead a four- or five-digit pager or extension number ("Pager #12345").
const PAGER_WORDS: &str = r"(?:pager|beeper|bpr|page|paged|paging|pg|ext|extension)";

/// Relatives and other contacts whose numbers notes give next to their name or role; the same
/// people as [`RELATIVE_WORDS`], for the `phone.relative_local` regex.
const RELATIVE_WORDS_RE: &str = r"(?:sons?|daughters?|dtr|wife|husband|spouse|partner|mother|mom|father|dad|brother|sister|niece|nephew|grandson|granddaughter|grandchild|aunt|uncle|cousin|friend|neighbou?r|family|proxy|hcp|guardian)";

/// What may stand between a cue and its number: spaces, ":", "#", "-", "=", "no.", "number",
/// "is", "at", "to". Kept this tight so that "call HO re: UO goal 500-1000" stays a range.
const GAP: &str = r"[ \t]{0,3}(?:(?:number|num|nbr|no\.?|is|at|to|#|:|-|=)[ \t]{0,3}){0,3}";

/// A wider gap for the cue-led numbers, closed by "at": "call the daughter at 555-0123",
/// "paged the fellow at x4-1234". The "at" is what makes it safe: a range after a cue
/// ("call HO if UO 500-1000") has no "at" right before it.
const GAP_AT: &str = r"[ \t]{1,3}[A-Za-z.' ]{0,24}\bat[ \t]{1,3}";

/// A separator between digit groups of a NANP number: "-", ".", a space, or a dash with a space
/// on either side ("212- 476- 8356").
const SEP: &str = r"(?:[ \t]?[-.][ \t]?|[ \t])";

/// An extension after a number: "x123", "ext. 45", "extension 4512".
const EXT: &str = r"(?:[ \t]{0,2},?[ \t]{0,2}(?:x[ \t]?\d{2,5}|ext\.?[ \t]{0,2}\d{1,5}|extension[ \t]{0,2}\d{1,5}))";

/// Characters of a URL path, query and fragment (RFC 3986 unreserved, reserved and "%").
/// Trailing punctuation and unbalanced closing brackets are trimmed by [`url`].
const URL_CHARS: &str = r"[-A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%]";

/// A host name label. Unbounded on purpose: a single class loop is one DFA state, where a
/// counted `{0,62}` would be sixty.
const LABEL: &str = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?";

/// Top-level domains accepted on a bare domain ("example.org"), with or without a path.
const GENERIC_TLD: &str = r"(?:com|org|net|edu|gov|mil|info|biz|health)";

/// Country domains accepted on a bare domain only when a path follows ("nhs.uk/conditions"):
/// alone they read as abbreviations too often ("Acme Co.", "pt.us").
const COUNTRY_TLD: &str = r"(?:us|uk|ca|au|nz|ie|de|fr|nl|ch|se|jp|io|co)";

/// An IPv4 address inside an IPv6 one ("::ffff:192.0.2.1").
const V4_TAIL: &str = r"\d{1,3}(?:\.\d{1,3}){3}";

/// Words before a dotted number that make it a section or step number, not an address.
const SECTION_WORDS: &[&str] = &[
    "section",
    "sec",
    "sect",
    "step",
    "item",
    "table",
    "figure",
    "fig",
    "chapter",
    "appendix",
    "paragraph",
    "para",
    "rule",
    "clause",
    "part",
    "page",
    "pg",
];

pub(crate) fn patterns() -> Vec<Pattern> {
    vec![
        // EMAIL: "jane.doe+clinic@mail.example.org". Local part of letters, digits and
        // `._%+-`; a dotted host ending in a letters-only top-level domain, so a sentence's
        // closing period is never part of it. First among the patterns so that the local part
        // is not taken for a bare domain.
        Pattern::new(
            "email.address",
            Kind::Email,
            0.95,
            format!(r"(?i)\b[a-z0-9][a-z0-9._%+-]*@(?:{LABEL}\.)+[a-z]{{2,24}}\b"),
            email,
        ),
        // URL with a scheme: "https://portal.example.org:8443/a?b=c#d", "ftp://...". Anything
        // after "://" up to a space or a character that cannot be in a URL, then trimmed.
        Pattern::new(
            "url.scheme",
            Kind::Url,
            0.95,
            format!(r"(?i)\b(?:https?|ftp)://{URL_CHARS}+"),
            url,
        ),
        // URL without a scheme but with "www.": "www.example.org/clinic", "WWW.EXAMPLE.COM".
        // Any top-level domain of letters, but there must be one ("www.x" is not a host).
        Pattern::new(
            "url.www",
            Kind::Url,
            0.9,
            format!(
                r"(?i)\bwww\d{{0,3}}\.(?:{LABEL}\.)+[a-z]{{2,24}}\b(?::\d{{1,5}})?(?:[/?#]{URL_CHARS}*)?"
            ),
            url,
        ),
        // URL as a bare domain: "example.org", "portal.example.org/login", "nhs.uk/x". Only
        // known top-level domains, so file names ("note.txt"), "e.g.", "q.d." and decimals never
        // match; country domains need a path.
        Pattern::new(
            "url.domain",
            Kind::Url,
            0.8,
            format!(
                r"(?i)\b(?:{LABEL}\.)+(?:{GENERIC_TLD}\b(?::\d{{1,5}}\b)?(?:[/?#]{URL_CHARS}*)?|{COUNTRY_TLD}(?::\d{{1,5}})?[/?#]{URL_CHARS}*)"
            ),
            bare_domain,
        ),
        // IPv4: four dotted decimals, each 0-255 without leading zeros (checked by `Ipv4Addr`).
        // Rejected inside longer dotted runs ("1.2.3.4.5") and after a version or section cue.
        Pattern::new("ip.v4", Kind::Ip, 0.9, r"\b\d{1,3}(?:\.\d{1,3}){3}\b", ipv4),
        // IPv6, all eight groups: "2001:0db8:0000:0000:0000:ff00:0042:8329", or six groups and
        // an IPv4 tail. Six colon-separated pairs (a MAC address) do not match.
        Pattern::new(
            "ip.v6_full",
            Kind::Ip,
            0.9,
            format!(
                r"(?i)\b(?:[0-9a-f]{{1,4}}:){{6}}(?:{V4_TAIL}|[0-9a-f]{{1,4}}:[0-9a-f]{{1,4}})(?:%[0-9a-z]{{1,15}})?"
            ),
            ipv6,
        ),
        // IPv6, compressed with "::": "2001:db8::1", "::1", "fe80::1%eth0", "::ffff:192.0.2.1".
        // The "::" is required, so clock times ("14:30:00") never match.
        Pattern::new(
            "ip.v6_compressed",
            Kind::Ip,
            0.9,
            format!(
                r"(?i)(?:\b[0-9a-f]{{1,4}}(?::[0-9a-f]{{1,4}}){{0,6}})?::(?:(?:[0-9a-f]{{1,4}}:){{0,5}}(?:{V4_TAIL}|[0-9a-f]{{1,4}}))?(?:%[0-9a-z]{{1,15}})?"
            ),
            ipv6,
        ),
        // PHONE (or FAX) in North American form: "(617) 555-0123", "617-555-0123",
        // "617.555.0123", "617 555 0123", "+1 617 555 0123", "1-800-555-0199", each with an
        // optional extension ("x123", "ext. 45"). Area code and exchange must start with 2-9
        // (NANP), unless a phone or fax cue stands just before the number.
        Pattern::new(
            "phone.nanp",
            Kind::Phone,
            0.9,
            format!(
                r"(?i)(?:(?:\+[ \t]?1|\b1)[-. \t]?)?(?:\([ \t]?\d{{3}}[ \t]?\)[ \t]?[-.]?[ \t]?|\b\d{{3}}{SEP})\d{{3}}{SEP}\d{{4}}{EXT}?\b"
            ),
            nanp,
        ),
        // PHONE (or FAX) written with slashes: "617/555/0123". Dates have two-digit groups, so
        // three-three-four with slashes is a phone number.
        Pattern::new(
            "phone.slash",
            Kind::Phone,
            0.85,
            format!(r"(?i)\b\d{{3}}/\d{{3}}/\d{{4}}{EXT}?\b"),
            nanp,
        ),
        // PHONE in international form: "+44 20 7946 0958", "+49 (0)30 1234567". A "+", a
        // country code not starting with 1 (NANP is above) and 8 to 15 digits in all (E.164).
        Pattern::new(
            "phone.international",
            Kind::Phone,
            0.85,
            r"\+[2-9]\d{0,3}(?:[ \t.\-]?(?:\(\d{1,4}\)|\d{1,4})){1,6}\b",
            international,
        ),
        // PHONE after a cue, seven digits or a hospital extension: "call 555-0123",
        // "pager x4-1234", "Ext: 4-5678", "call the son at 555-0123". Ranges ("500-1000 cc")
        // have the same shape, hence the cue.
        Pattern::new(
            "phone.cue_local",
            Kind::Phone,
            0.8,
            format!(
                r"(?i)\b(?:{CUE_WORDS}\b\.?|f:)(?:{GAP}|{GAP_AT})(?P<v>[2-9]\d{{2}}[-.]\d{{4}}|x?\d-\d{{4}})\b"
            ),
            cued_number,
        ),
        // PHONE after a relative, seven digits: "daughter 555-0123", "Son Tom 555-0142",
        // "wife's number is 555.0199". Notes list family numbers next to the person, often
        // without "phone" or "call". Up to two capitalized words (a name) may stand between.
        // The relative word is in the regex, so ranges elsewhere ("SVR 900-1100") never match;
        // after a relative a range is rare, and one with a unit after it is rejected.
        Pattern::new(
            "phone.relative_local",
            Kind::Phone,
            0.75,
            format!(
                r"(?i)\b{RELATIVE_WORDS_RE}(?:'?s)?\b(?:[ \t]{{1,3}}(?-i:[A-Z][a-z]{{1,15}})\b){{0,2}}(?:{GAP}|[ \t]{{0,3}}[,(][ \t]{{0,3}})(?P<v>[2-9]\d{{2}}[-.]\d{{4}})\b"
            ),
            relative_local,
        ),
        // PHONE after a cue, ten bare digits, or the area code apart from seven joined digits:
        // "Tel: 6175550123", "cell# 6175550123", "reached at 617 5550123". Without
        // the cue ten digits are an MRN, an NPI or an account number. NANP-validated.
        Pattern::new(
            "phone.cue_bare10",
            Kind::Phone,
            0.85,
            format!(
                r"(?i)\b(?:{CUE_WORDS}\b\.?|f:)(?:{GAP}|{GAP_AT})(?P<v>\d{{10}}|\d{{3}}[ \t]\d{{7}})\b"
            ),
            cued_bare10,
        ),
        // PHONE mistyped inside parentheses after a relative or a phone cue: "daughter Ann
        // (555012-3456)", "wife (555 012 34567)". Ten or eleven digits split in a way no NANP
        // pattern above accepts. The parenthesis starts the pattern, so it costs nothing on
        // text without one; the check asks for the cue and rejects shapes of other numbers.
        Pattern::new(
            "phone.paren_run",
            Kind::Phone,
            0.6,
            r"\([ \t]?(?P<v>[0-9]{1,7}(?:[ \t]?[-.][ \t]?|[ \t]){1,2}[0-9]{1,7}(?:(?:[ \t]?[-.][ \t]?|[ \t]){1,2}[0-9]{1,7}){0,2})[ \t]?\)",
            paren_run,
        ),
        // PHONE after a pager or extension cue, four or five digits: "Pager #12345",
        // "beeper 4321", "ext 4512".
        Pattern::new(
            "phone.pager",
            Kind::Phone,
            0.75,
            format!(r"(?i)\b{PAGER_WORDS}\b\.?{GAP}(?P<v>\d{{4,5}})\b"),
            cued_number,
        ),
    ]
}

/// `b` is an ASCII digit.
fn is_digit(b: Option<u8>) -> bool {
    b.is_some_and(|b| b.is_ascii_digit())
}

/// Whether the match continues a longer number on the left ("12-617-555-0123", "1.2.3.4" in
/// "9.1.2.3.4"): a separator right before it with a digit before that.
fn joined_before(ctx: &Context<'_>, start: usize, seps: &[u8]) -> bool {
    let b = ctx.before(start, 2).as_bytes();
    match b {
        [d, s] => d.is_ascii_digit() && seps.contains(s),
        _ => false,
    }
}

/// Whether the match continues into a longer number on the right ("617-555-0123-4"): a
/// separator right after it with a digit after that.
fn joined_after(ctx: &Context<'_>, end: usize, seps: &[u8]) -> bool {
    let a = ctx.after(end, 2).as_bytes();
    match a {
        [s, d] => seps.contains(s) && d.is_ascii_digit(),
        _ => false,
    }
}

/// PHONE or FAX for a number at `span`.
///
/// FAX when "(fax)" or a line-final "fax" follows the number, or when the nearest phone-or-fax
/// cue before it (same line, within 32 bytes, no digits or ";" in between) is a fax cue. So in
/// "Tel 617-555-0100 Fax 617-555-0101" the first number is a PHONE and the second a FAX.
fn phone_or_fax(ctx: &Context<'_>, span: Span) -> Kind {
    phone_or_fax_after(ctx, span, nearest_phone_cue(ctx, span.start))
}

/// The nearest phone or fax cue before `pos` (same line, within 32 bytes), with the class it
/// was taken for.
fn nearest_phone_cue(ctx: &Context<'_>, pos: usize) -> Option<(Span, Cue)> {
    ctx.nearest_cue_before(pos, &[Cue::Phone, Cue::Fax], 32)
}

/// [`phone_or_fax`], given the nearest phone or fax cue before the number, for a check that
/// has already looked it up.
fn phone_or_fax_after(ctx: &Context<'_>, span: Span, nearest: Option<(Span, Cue)>) -> Kind {
    if fax_label_after(ctx, span.end) {
        return Kind::Fax;
    }
    match nearest {
        Some((cue, Cue::Fax)) => {
            let gap = ctx.slice(Span::new(cue.end, span.start));
            if gap.bytes().any(|b| b.is_ascii_digit() || b == b';') {
                Kind::Phone
            } else {
                Kind::Fax
            }
        }
        _ => Kind::Phone,
    }
}

/// Whether the number ending at `end` is labelled as a fax after it: "617-555-0101 (fax)",
/// "617-555-0101 \[Fax\]", or "fax" closing the line or clause ("... 617-555-0101 fax."). A "fax"
/// followed by more text ("617-555-0100 Fax 617-555-0101") labels what comes next instead.
fn fax_label_after(ctx: &Context<'_>, end: usize) -> bool {
    let after = ctx.after(end, 24).as_bytes();
    let mut i = 0;
    while after.get(i).is_some_and(|b| matches!(b, b' ' | b'\t')) {
        i += 1;
    }
    let bracketed = after.get(i).is_some_and(|b| matches!(b, b'(' | b'['));
    if bracketed {
        i += 1;
    }
    let Some(word) = after.get(i..i + 3) else {
        return false;
    };
    if !word.eq_ignore_ascii_case(b"fax") {
        return false;
    }
    let next = after.get(i + 3).copied();
    if bracketed {
        return matches!(next, Some(b')' | b']'));
    }
    match next {
        None => true,
        Some(b) if b.is_ascii_alphanumeric() => false,
        Some(b'.' | b',' | b';' | b'\n' | b'\r' | b')') => true,
        // "fax" then spaces: a label only if the line ends there.
        Some(_) => after[i + 3..]
            .iter()
            .find(|b| !matches!(b, b' ' | b'\t'))
            .map_or(true, |b| matches!(b, b'\n' | b'\r')),
    }
}

/// The digits of `s`, in order.
fn digits(s: &str) -> Vec<u8> {
    s.bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect()
}

/// NANP rule for a ten-digit number: area code and exchange both start with 2-9.
fn nanp_valid(ten: &[u8]) -> bool {
    matches!(ten, [a, _, _, e, _, _, _, _, _, _] if *a >= 2 && *e >= 2)
}

/// Whether a number failing NANP only by its exchange is still written the way only phone
/// numbers are: a valid area code and every group joined by the same `-` or `.`, or the area code
/// in parentheses ("617-155-0123", "(617) 155-0123", "617.155.0123"). A number typed from
/// memory often gets the exchange wrong, and nothing else in a note has this shape. Space-only
/// groups ("250 100 1000", a row of values) and a bad area code ("123-456-7890", a placeholder)
/// do not count.
fn mistyped_exchange(main: &str, ten: &[u8]) -> bool {
    if ten.first().map_or(true, |&a| a < 2) {
        return false;
    }
    let body = main.trim();
    let seps: Vec<u8> = body
        .bytes()
        .filter(|b| matches!(b, b'-' | b'.' | b'/'))
        .collect();
    let parens = body.contains('(') && body.contains(')');
    let same = seps.windows(2).all(|w| w[0] == w[1]);
    let enough = if parens {
        !seps.is_empty()
    } else {
        seps.len() >= 2
    };
    same && enough && !seps.contains(&b'/')
}

/// Checks "phone.nanp" and "phone.slash" matches.
///
/// Accepts a NANP-valid number; a number failing NANP only with a phone or fax cue just before
/// it (then with a lower score), or when only its exchange is wrong and it is dashed or dotted
/// like a phone number (see [`mistyped_exchange`]; score 0.6). Rejects a number that continues a longer digit run
/// ("12-617-555-0123"), and a space-separated one with digits next to it (a row of values).
fn nanp(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    let text = ctx.slice(span);
    if joined_before(ctx, span.start, b"-./") || joined_after(ctx, span.end, b"-./") {
        return None;
    }
    if !text.bytes().any(|b| matches!(b, b'-' | b'.' | b'/' | b'(')) {
        let before = ctx.before(span.start, 2).as_bytes();
        let spaced_before = matches!(before, [d, b' ' | b'\t'] if d.is_ascii_digit());
        let after = ctx.after(span.end, 2).as_bytes();
        let spaced_after = matches!(after, [b' ' | b'\t', d] if d.is_ascii_digit());
        if spaced_before || spaced_after {
            return None;
        }
    }
    // The number without its extension: the extension starts at "x" or "ext".
    let main = text
        .split(|c: char| c.eq_ignore_ascii_case(&'x') || c.eq_ignore_ascii_case(&'e'))
        .next()
        .unwrap_or(text);
    let ds = digits(main);
    let ten = ds.get(ds.len().saturating_sub(10)..)?;
    // One search of the cue window serves both the score and the choice of PHONE or FAX.
    let nearest = nearest_phone_cue(ctx, span.start);
    let cued = nearest.is_some() || fax_label_after(ctx, span.end);
    let mut found = hit.found;
    if !nanp_valid(ten) {
        if cued {
            found.score = 0.7;
        } else if mistyped_exchange(main, ten) {
            found.score = 0.6;
        } else {
            return None;
        }
    } else if cued {
        found.score = 0.95;
    }
    found.kind = phone_or_fax_after(ctx, span, nearest);
    Some(found)
}

/// Checks "phone.international": 8 to 15 digits (E.164), not glued to a longer number.
fn international(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    let n = digits(ctx.slice(span)).len();
    if !(8..=15).contains(&n) || joined_after(ctx, span.end, b"-./") {
        return None;
    }
    if ctx
        .before(span.start, 1)
        .bytes()
        .any(|b| b.is_ascii_alphanumeric())
    {
        return None;
    }
    let mut found = hit.found;
    found.kind = phone_or_fax(ctx, span);
    Some(found)
}

/// Words for the people whose numbers notes record next to their names: "son Tom (...)",
/// "wife at bedside (...)".
const RELATIVE_WORDS: &[&str] = &[
    "son",
    "sons",
    "daughter",
    "daughters",
    "dtr",
    "wife",
    "husband",
    "spouse",
    "partner",
    "mother",
    "mom",
    "father",
    "dad",
    "brother",
    "sister",
    "niece",
    "nephew",
    "grandson",
    "granddaughter",
    "grandchild",
    "aunt",
    "uncle",
    "cousin",
    "friend",
    "neighbor",
    "neighbour",
    "family",
    "proxy",
    "hcp",
    "guardian",
];

/// Checks "phone.paren_run": a run of ten or eleven digits in parentheses, split oddly.
///
/// Accepts when the first digit is 2-9 (an area code), the last group has four or five digits
/// (a line number, perhaps with a slip), and a phone cue or a relative word (see
/// [`RELATIVE_WORDS`]) stands among the ten words before it on the same line. Rejects runs that
/// start with 0 or 1 (NDC codes, which also end in a group of one or two digits, and account
/// numbers), shorter or longer runs (times "(0700-1500)", lab ranges), and well-formed
/// 3-3-4 numbers, which the NANP patterns judge.
fn paren_run(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    let text = ctx.slice(span);
    let ds = digits(text);
    let groups: Vec<usize> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
    if !(10..=11).contains(&ds.len())
        || ds.first().map_or(true, |&d| d < 2)
        || !matches!(groups.last(), Some(4 | 5))
        || groups == [3, 3, 4]
    {
        return None;
    }
    let cued = ctx.cue_before(span.start, Cue::Phone, 48)
        || ctx
            .words_before(span.start, 10)
            .any(|w| RELATIVE_WORDS.iter().any(|r| r.eq_ignore_ascii_case(w)));
    if !cued {
        return None;
    }
    let mut found = hit.found;
    found.kind = phone_or_fax(ctx, span);
    Some(found)
}

/// Units and counts after a number that make it a quantity: "son ... 250-1000 cc".
const UNIT_WORDS: &[&str] = &[
    "cc", "ml", "l", "mg", "mcg", "g", "units", "u", "times", "x", "mmhg", "hrs", "min",
];

/// Checks "phone.relative_local": a seven-digit number after a relative, not continued by
/// more digits and not followed by a unit (see [`UNIT_WORDS`]).
fn relative_local(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let unit = ctx
        .word_just_after(hit.found.span.end, 3, b"")
        .is_some_and(|w| UNIT_WORDS.iter().any(|u| u.eq_ignore_ascii_case(w)));
    if unit {
        return None;
    }
    cued_number(ctx, hit)
}

/// Checks the cue-led short numbers ("call 555-0123", "pager x4-1234", "Pager #12345"): the cue
/// is in the pattern, so only a longer number run after the value rejects it.
fn cued_number(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    if joined_after(ctx, span.end, b"-./,") {
        return None;
    }
    let mut found = hit.found;
    found.kind = phone_or_fax(ctx, span);
    Some(found)
}

/// Checks "phone.cue_bare10": the ten digits must be a valid NANP number.
fn cued_bare10(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    if !nanp_valid(&digits(ctx.slice(span))) {
        return None;
    }
    cued_number(ctx, hit)
}

/// Checks "email.address": no empty or dot-ended local part, no ".." anywhere, no host label
/// starting or ending with "-".
fn email(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let text = ctx.slice(hit.found.span);
    let (local, host) = text.split_once('@')?;
    if local.is_empty() || local.ends_with('.') || text.contains("..") {
        return None;
    }
    if host
        .split('.')
        .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
    {
        return None;
    }
    Some(hit.found)
}

/// Shortens a URL match so that it ends where the URL does: trailing sentence punctuation
/// (".", ",", ";", ":", "!", "?", quotes) and closing brackets without an opening one inside
/// the URL ("(see example.org/x)") are not part of it.
fn trim_url(s: &str) -> usize {
    let b = s.as_bytes();
    let mut end = b.len();
    while let Some(&last) = end.checked_sub(1).and_then(|i| b.get(i)) {
        let drop = match last {
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'"' => true,
            b')' => count(&b[..end], b')') > count(&b[..end], b'('),
            b']' => count(&b[..end], b']') > count(&b[..end], b'['),
            _ => false,
        };
        if !drop {
            break;
        }
        end -= 1;
    }
    end
}

fn count(b: &[u8], c: u8) -> usize {
    b.iter().filter(|&&x| x == c).count()
}

/// Checks "url.scheme" and "url.www": trims trailing punctuation; the host must remain.
fn url(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    let text = ctx.slice(span);
    let end = trim_url(text);
    let host_start = text.find("://").map_or(0, |i| i + 3);
    if end <= host_start || !text.as_bytes().get(host_start)?.is_ascii_alphanumeric() {
        return None;
    }
    let mut found = hit.found;
    found.span = Span::new(span.start, span.start + end);
    Some(found)
}

/// Checks "url.domain": every host label starts with a letter ("500cc.net" is not a host), the
/// top-level domain is not capitalized like a word ("stable.Health maintenance" is a missing
/// space), and the domain does not hang off an "@", "." or "/" (part of something larger that
/// failed its own check).
fn bare_domain(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    if ctx
        .before(span.start, 1)
        .bytes()
        .any(|b| matches!(b, b'@' | b'.' | b'/' | b'-' | b'_' | b'%' | b'+'))
    {
        return None;
    }
    let text = ctx.slice(span);
    let host_end = text.find([':', '/', '?', '#']).unwrap_or(text.len());
    let host = text.get(..host_end)?;
    if !host
        .split('.')
        .all(|l| l.as_bytes().first().is_some_and(u8::is_ascii_alphabetic))
    {
        return None;
    }
    let tld = host.rsplit('.').next().unwrap_or(host).as_bytes();
    if let [first, rest @ ..] = tld {
        if first.is_ascii_uppercase() && rest.iter().any(u8::is_ascii_lowercase) {
            return None;
        }
    }
    url(ctx, hit)
}

/// Words before an IPv4 address that vouch for it when its shape alone does not ("IP 1.2.3.4").
const IP_WORDS: &[&str] = &[
    "ip", "ipv4", "address", "addr", "host", "server", "gateway", "dns", "router", "from", "at",
];

/// Checks "ip.v4": a valid address (`Ipv4Addr` rejects octets over 255 and leading zeros), not
/// part of a longer dotted or slashed run ("90/40/7.40.38.1" is a blood gas run together), not
/// after a version cue ("version 1.2.3.4", "v. 10.0.0.1") or a section word ("section 1.2.3.4"),
/// and four single digits only after an address word.
fn ipv4(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    ctx.slice(span).parse::<Ipv4Addr>().ok()?;
    if joined_before(ctx, span.start, b"./") || joined_after(ctx, span.end, b".") {
        return None;
    }
    if ctx.cue_before(span.start, Cue::Version, 12) {
        return None;
    }
    let previous = ctx.words_before(span.start, 1).next();
    if previous.is_some_and(|w| SECTION_WORDS.iter().any(|s| s.eq_ignore_ascii_case(w))) {
        return None;
    }
    // "4.5.6.7": four single digits read as an outline or a run of values more often than as an
    // address; take it only after an address word.
    if span.len() == 7
        && !ctx
            .words_before(span.start, 3)
            .any(|w| IP_WORDS.iter().any(|s| s.eq_ignore_ascii_case(w)))
    {
        return None;
    }
    Some(hit.found)
}

/// Checks "ip.v6_full" and "ip.v6_compressed": a valid address by `Ipv6Addr` (the zone after
/// "%" is kept in the span but not parsed), with at least one digit ("add::bed" is not one), not
/// glued to more address characters. One or two decimal groups around a "::" ("12::30", "23::")
/// are a mistyped clock time or a label, not an address; "::1" still is one.
fn ipv6(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    let text = ctx.slice(span);
    let addr = text.split('%').next().unwrap_or(text);
    addr.parse::<Ipv6Addr>().ok()?;
    if !addr.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let next = ctx.after(span.end, 1).bytes().next();
    if next.is_some_and(|b| b.is_ascii_alphanumeric() || b == b':') {
        return None;
    }
    if is_digit(ctx.after(span.end, 2).as_bytes().get(1).copied()) && next == Some(b'.') {
        return None;
    }
    let prev = ctx.before(span.start, 1).bytes().next();
    if prev.is_some_and(|b| b.is_ascii_alphanumeric() || b == b':') {
        return None;
    }
    let groups = addr.split(':').filter(|g| !g.is_empty()).count();
    let hex_letter = addr.bytes().any(|b| b.is_ascii_alphabetic());
    if groups < 3 && !hex_letter && !addr.starts_with("::") {
        return None;
    }
    Some(hit.found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_trimming() {
        assert_eq!(trim_url("example.org/x)."), "example.org/x".len());
        assert_eq!(
            trim_url("example.org/wiki/A_(b)"),
            "example.org/wiki/A_(b)".len()
        );
        assert_eq!(trim_url("example.org/?q=1,"), "example.org/?q=1".len());
        assert_eq!(trim_url("...."), 0);
    }

    #[test]
    fn nanp_rule() {
        assert!(nanp_valid(&digits("617-555-0123")));
        assert!(!nanp_valid(&digits("123-555-0123")));
        assert!(!nanp_valid(&digits("617-155-0123")));
        assert!(!nanp_valid(&digits("617-555-012")));
    }

    /// Shapes that belong to other families (or to nobody) and so cannot be hard negatives in
    /// the case files, where every family's findings are compared: none of them is contact PHI.
    #[test]
    fn other_families_shapes_are_not_contact() {
        let engine = crate::Engine::builder()
            .kinds([Kind::Phone, Kind::Fax, Kind::Email, Kind::Url, Kind::Ip])
            .build()
            .expect("engine builds");
        for text in [
            "SSN 123-45-6789 on file",
            "seen 03-04-2021 and 2021-03-04",
            "dated 12.31.2021",
            "MAC 00:1a:2b:3c:4d:5e on the pump",
            "NPI 1234567893",
            "MRN 6175550123",
            "acct 6175550123",
            "ZIP 02114-1234",
            "NDC 00002-3227-30 and 0002-3227-30",
            "steps 1-2-3",
            "card 4111 1111 1111 1111",
            "order 12345",
        ] {
            let found = engine.detect(text);
            assert!(found.is_empty(), "contact finding in case {text:?}");
        }
    }

    #[test]
    fn fax_labels() {
        let text = "617-555-0101 (fax) and 617-555-0100 Fax 617-555-0102\n617-555-0103 fax\nx";
        let cues = super::super::cues::Cues::new(&[]).expect("an empty cue set builds");
        let ctx = Context::new(text, &cues);
        assert!(fax_label_after(&ctx, 12));
        let second = text.find("0100").map_or(0, |i| i + 4);
        assert!(!fax_label_after(&ctx, second));
        let fourth = text.find("0103").map_or(0, |i| i + 4);
        assert!(fax_label_after(&ctx, fourth));
        assert!(!fax_label_after(&ctx, text.len()));
    }
}
