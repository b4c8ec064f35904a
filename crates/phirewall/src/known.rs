//! Identifiers the caller already knows for one record: the patient's and relatives' names, the
//! MRN, the address, any other number.
//!
//! The variants and rules are documented on [`Known`], the public face of this module.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::dict::{Class, Dict};
use crate::text::{tokenize, Normalized, Shape};
use crate::{Finding, Kind, Span};

/// Values longer than this many bytes are ignored: no name, number or address line is this long,
/// and the bound keeps the per-record automaton small whatever the caller passes.
const MAX_VALUE_LEN: usize = 256;

/// Known identifiers of one record, built by the caller and passed to
/// [`Engine::detect_known`].
///
/// A system that de-identifies a patient's notes usually knows who the patient is. Detectors
/// guess from shape and context; a known value needs no guessing, so [`Engine::detect_known`]
/// finds every occurrence of it (score 1.0, detector `known.<kind>`, e.g. `known.name`) together
/// with the usual findings.
///
/// # Variants
///
/// Notes rarely spell a name the way the registration system does, so each value is expanded into
/// the spellings a clinician writes. Matching ignores ASCII case everywhere, and always requires
/// word boundaries: a known value is never found inside a longer run of letters (a known "Ann"
/// is not found in "Annual") or of digits (a known "4567" is not found in "14567").
///
/// - **Names** ([`Known::name`]), e.g. "John Q. Smith", "Smith, John Q." or "Mary-Ann O'Neil":
///   - the full name, with and without the periods of initials;
///   - "First Last", "Last, First", "Last, First Middle", "Last First", and with the given name
///     as an initial: "J. Smith", "J Smith", "J.Q. Smith", "J. Q. Smith", "Smith, J.";
///   - each part of two or more letters alone ("John", "Smith"), including each half of a
///     hyphenated part ("Mary", "Ann") and the part written with a space or nothing instead of the
///     hyphen or apostrophe ("Mary Ann", "MaryAnn", "O Neil", "ONeil", and "O’Neil" with a
///     typographic apostrophe);
///   - the plural of the last name ("the Smiths");
///   - initials, written exactly in capitals: "J.Q.S." and, with three or more initials, "JQS"
///     ("JS" alone is too common an abbreviation).
///
///   A possessive ("Smith's") is found as the name without the "'s": the apostrophe is a word
///   boundary, and the "'s" is not part of the identifier.
///
///   What is *not* used alone: titles and suffixes ("Mr", "Dr", "Jr", "III"), single letters, and
///   parts the caller wrote in lower case ("de", "van" in "Maria de la Cruz"), which are particles.
///   They still take part in the multi-word spellings.
///
///   Recall comes first, since the caller says this *is* the patient's name. But a name part that
///   is also an English word or a clinical term ("Will", "May", "Hope", "Brown", "Foley") is found
///   alone only when written with a capital letter, because "may" and "will" in running text are
///   verbs. When the note is caseless (nearly all upper or all lower case, as many nursing notes
///   are) capitalization means nothing, and those parts are found in any case.
///
/// - **Addresses** ([`Known::address`]), e.g. "12 Elm St, Apt 4, Springfield, MA 01101": the text
///   is split at commas. The first piece is the street line (`STREET_ADDRESS`), found with and
///   without its house number and with the street suffix abbreviated or spelled out ("St",
///   "St.", "Street"); a piece that starts with a unit word ("Apt", "Suite", "#") is also
///   `STREET_ADDRESS`; the other pieces are the city (`CITY`, under the same capitalization rule
///   as name parts), and a trailing ZIP code is `ZIP` (the state is not an identifier under Safe
///   Harbor and is left alone).
///
/// - **Numbers and codes** ([`Known::mrn`], [`Known::identifier`]): the value as given, and, when
///   it is made of letters and digits broken only by spaces, dashes, dots or slashes, the same
///   characters without the breaks ("0012-3456" also finds "00123456"). Leading zeros are also
///   dropped ("00123456" also finds "123456") when at least five characters remain, because
///   systems print MRNs both ways but a short number would match doses and times. Ten-digit phone
///   and fax numbers and nine-digit SSNs are also found in their usual layouts ("(617) 555-0142",
///   "617.555.0142", "123 45 6789"). A value with fewer than four letters or digits is ignored:
///   it would match everywhere.
///
/// - **Anything else** given to [`Known::identifier`] with [`Kind::City`], [`Kind::County`] or
///   [`Kind::Location`] is matched as text, like a city.
///
/// # Non-ASCII
///
/// Values are folded the same way as the note (full-width forms, look-alike letters, invisible
/// characters; see [`crate::text::Normalized`]), so a zero-width space inside the name in the note
/// does not hide it. Case is ignored for ASCII letters; for a value with other letters ("José",
/// "Zoë") the value as given, all lower case and all upper case are matched ("JOSÉ", "zoë"), but
/// not other mixtures.
///
/// # Limits
///
/// Multi-word spellings are matched with single spaces between words: "John  Smith" (two spaces)
/// or a line break between the parts is found as two findings, "John" and "Smith", not one. A
/// number written with breaks the caller did not give ("0012 3456" for a known "00123456") is not
/// found, except for the phone and SSN layouts above. A date of birth given as
/// `identifier(Kind::Date, ...)` is matched only as written (without its slashes it would be a
/// time or a number).
///
/// [`Engine::detect_known`]: crate::Engine::detect_known
///
/// # Example
///
/// ```
/// use phirewall::{Engine, Known, Kind};
///
/// let engine = Engine::new()?;
/// let known = Known::new()
///     .name("John Q. Smith")
///     .mrn("00123456")
///     .address("12 Elm St, Springfield, MA 01101");
/// let note = "Smith, John seen today; MRN 123456. Smith's wife lives on Elm Street.";
/// let found = engine.detect_known(note, &known);
/// let texts: Vec<&str> = found.iter().map(|f| &note[f.span.range()]).collect();
/// assert_eq!(texts, ["Smith, John", "123456", "Smith", "Elm Street"]);
/// assert!(found.iter().all(|f| f.score == 1.0));
/// # Ok::<(), phirewall::Error>(())
/// ```
///
/// The matcher is compiled on first use and kept, so one `Known` can be reused for all notes of
/// the same patient. Its `Debug` output shows how many values of which kinds it holds, never the
/// values.
#[derive(Clone, Default)]
pub struct Known {
    values: Vec<(Form, Kind, String)>,
    matcher: OnceLock<Matcher>,
}

/// How a value is expanded into spellings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// A person's name.
    Name,
    /// A full postal address, split at commas.
    Address,
    /// A street line alone.
    Street,
    /// A place name matched as text (city, county, facility).
    Place,
    /// A number or code.
    Id,
}

impl Known {
    /// No known identifiers yet.
    pub fn new() -> Known {
        Known::default()
    }

    /// Adds a person's name: the patient's or a relative's. "First Middle Last" or
    /// "Last, First Middle"; titles and suffixes are allowed.
    pub fn name(self, name: &str) -> Known {
        self.push(Form::Name, Kind::Name, name)
    }

    /// Adds a medical record number.
    pub fn mrn(self, mrn: &str) -> Known {
        self.push(Form::Id, Kind::Mrn, mrn)
    }

    /// Adds a postal address, e.g. "12 Elm St, Apt 4, Springfield, MA 01101".
    pub fn address(self, address: &str) -> Known {
        self.push(Form::Address, Kind::StreetAddress, address)
    }

    /// Adds an identifier of any kind: a phone number, an SSN, an account number, an e-mail...
    ///
    /// [`Kind::Name`] is the same as [`Known::name`]; [`Kind::StreetAddress`] takes a street line
    /// ("12 Elm St"); [`Kind::City`], [`Kind::County`] and [`Kind::Location`] take a place name;
    /// every other kind takes a number or code.
    pub fn identifier(self, kind: Kind, value: &str) -> Known {
        let form = match kind {
            Kind::Name => Form::Name,
            Kind::StreetAddress => Form::Street,
            Kind::City | Kind::County | Kind::Location => Form::Place,
            _ => Form::Id,
        };
        self.push(form, kind, value)
    }

    /// Whether no value has been added.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn push(mut self, form: Form, kind: Kind, value: &str) -> Known {
        self.values.push((form, kind, value.to_string()));
        // A new value invalidates the compiled matcher.
        self.matcher = OnceLock::new();
        self
    }

    /// Every occurrence of a known value in `text` (the folded detection view), leftmost-longest,
    /// non-overlapping, sorted, with spans into `text`.
    pub(crate) fn find(&self, text: &str) -> Vec<Finding> {
        self.matcher
            .get_or_init(|| Matcher::new(&self.values))
            .find(text)
    }
}

impl std::fmt::Debug for Known {
    /// Shows how many values of each kind, never the values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut counts: Vec<(Kind, usize)> = Vec::new();
        for (_, kind, _) in &self.values {
            match counts.iter_mut().find(|(k, _)| k == kind) {
                Some((_, n)) => *n += 1,
                None => counts.push((*kind, 1)),
            }
        }
        let mut d = f.debug_struct("Known");
        d.field("values", &self.values.len());
        for (kind, n) in counts {
            d.field(kind.as_str(), &n);
        }
        d.finish()
    }
}

/// When a match counts, beyond word boundaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Case {
    /// In any case.
    Any,
    /// Only starting with a capital letter, unless the note is caseless.
    Capitalized,
    /// Only exactly as spelled (initials like "JQS").
    Exact,
}

/// One spelling to look for.
#[derive(Clone)]
struct Spelling {
    kind: Kind,
    case: Case,
    text: String,
}

/// The compiled spellings of one [`Known`]. (Cloning shares the automaton.)
#[derive(Clone)]
struct Matcher {
    /// `None` when there is nothing to find (or, in theory, when the automaton could not be built:
    /// aho-corasick fails only past billions of states, far beyond what bounded values make).
    automaton: Option<AhoCorasick>,
    spellings: Vec<Spelling>,
}

impl Matcher {
    fn new(values: &[(Form, Kind, String)]) -> Matcher {
        let dict = Dict::shared().ok();
        let mut out = Spellings {
            list: Vec::new(),
            dict,
        };
        for (form, kind, value) in values {
            if value.len() > MAX_VALUE_LEN {
                continue;
            }
            // Fold the value as the note is folded, so both sides compare in the same alphabet.
            let folded = Normalized::new(value);
            let value = folded.as_str();
            match form {
                Form::Name => name_spellings(value, &mut out),
                Form::Address => address_spellings(value, &mut out),
                Form::Street => street_spellings(value, &mut out),
                Form::Place => out.word_or_phrase(*kind, value.trim()),
                Form::Id => id_spellings(*kind, value, &mut out),
            }
        }
        let spellings = out.finish();
        let automaton = if spellings.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(spellings.iter().map(|s| s.text.as_str()))
                .ok()
        };
        Matcher {
            automaton,
            spellings,
        }
    }

    fn find(&self, text: &str) -> Vec<Finding> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        // Decided only when a lower-case match of a word needs it: most notes never ask.
        let mut caseless: Option<bool> = None;
        let mut hits: Vec<(Span, Kind)> = Vec::new();
        // Overlapping search, so that a spelling rejected for its boundaries ("John Smith" in
        // "xJohn Smith") cannot hide a shorter one that is fine ("Smith").
        for m in automaton.find_overlapping_iter(text) {
            let Some(spelling) = self.spellings.get(m.pattern().as_usize()) else {
                continue;
            };
            let Some(found) = text.get(m.range()) else {
                continue;
            };
            if !on_boundaries(text, m.start(), m.end()) {
                continue;
            }
            let ok = match spelling.case {
                Case::Any => true,
                Case::Exact => found == spelling.text,
                Case::Capitalized => {
                    found.chars().next().is_some_and(char::is_uppercase)
                        || *caseless.get_or_insert_with(|| is_caseless(text))
                }
            };
            if ok {
                hits.push((Span::new(m.start(), m.end()), spelling.kind));
            }
        }
        // Leftmost-longest among the accepted matches.
        hits.sort_by(|a, b| a.0.start.cmp(&b.0.start).then(b.0.end.cmp(&a.0.end)));
        let mut out: Vec<Finding> = Vec::new();
        for (span, kind) in hits {
            if out.last().is_some_and(|last| last.span.end > span.start) {
                continue;
            }
            out.push(Finding {
                kind,
                span,
                score: 1.0,
                detector: detector(kind),
            });
        }
        out
    }
}

/// Whether `start..end` is not inside a longer run of letters or of digits: the characters on
/// each side of the edge must not both be letters or both be digits. (A digit next to a letter is
/// a boundary, so "MRN00123456" still yields the known "00123456".)
fn on_boundaries(text: &str, start: usize, end: usize) -> bool {
    let joined = |a: Option<char>, b: Option<char>| match (a, b) {
        (Some(a), Some(b)) => {
            (a.is_alphabetic() && b.is_alphabetic()) || (a.is_numeric() && b.is_numeric())
        }
        _ => false,
    };
    let before = text.get(..start).and_then(|s| s.chars().next_back());
    let first = text.get(start..).and_then(|s| s.chars().next());
    let last = text.get(..end).and_then(|s| s.chars().next_back());
    let after = text.get(end..).and_then(|s| s.chars().next());
    !joined(before, first) && !joined(last, after)
}

/// Whether capitalization carries no signal: at least 90% of the cased words are all caps, or
/// all lower case. (The same rule as the word-level detectors use.)
fn is_caseless(text: &str) -> bool {
    let (mut upper, mut lower, mut total) = (0usize, 0usize, 0usize);
    for t in tokenize(text) {
        match t.shape {
            Shape::AllCaps => upper += 1,
            Shape::Lower => lower += 1,
            Shape::Capitalized | Shape::MixedCase => {}
            _ => continue,
        }
        total += 1;
    }
    total > 0 && (upper * 10 >= total * 9 || lower * 10 >= total * 9)
}

/// The detector name of a known identifier of `kind`.
const fn detector(kind: Kind) -> &'static str {
    match kind {
        Kind::Name => "known.name",
        Kind::StreetAddress => "known.street_address",
        Kind::City => "known.city",
        Kind::County => "known.county",
        Kind::Zip => "known.zip",
        Kind::Location => "known.location",
        Kind::Date => "known.date",
        Kind::Age => "known.age",
        Kind::Phone => "known.phone",
        Kind::Fax => "known.fax",
        Kind::Email => "known.email",
        Kind::Ssn => "known.ssn",
        Kind::Mrn => "known.mrn",
        Kind::HealthPlan => "known.health_plan",
        Kind::Account => "known.account",
        Kind::License => "known.license",
        Kind::Vehicle => "known.vehicle",
        Kind::Device => "known.device",
        Kind::Url => "known.url",
        Kind::Ip => "known.ip",
        Kind::Biometric => "known.biometric",
        Kind::OtherId => "known.other_id",
    }
}

/// The spellings collected so far.
struct Spellings {
    list: Vec<Spelling>,
    /// For deciding which single words need a capital; `None` only if the dictionary data is
    /// broken, and then every single word does (the safe side for the note's data).
    dict: Option<&'static Dict>,
}

impl Spellings {
    fn add(&mut self, kind: Kind, case: Case, text: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        // Non-ASCII letters are compared exactly by the automaton, so also add the value in
        // lower and upper case ("José" -> "josé", "JOSÉ").
        if !text.is_ascii() && case != Case::Exact {
            for other in [text.to_lowercase(), text.to_uppercase()] {
                if other != text {
                    self.list.push(Spelling {
                        kind,
                        case,
                        text: other,
                    });
                }
            }
        }
        self.list.push(Spelling {
            kind,
            case,
            text: text.to_string(),
        });
    }

    /// A place or name part matched alone: needs a capital if it is also an ordinary word.
    fn word_or_phrase(&mut self, kind: Kind, text: &str) {
        if text.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            return;
        }
        let case = if self.is_ordinary_word(text) {
            Case::Capitalized
        } else {
            Case::Any
        };
        self.add(kind, case, text);
    }

    /// Whether a single word is also an English word or a clinical term, so that its lower-case
    /// form in running text is probably not the name.
    fn is_ordinary_word(&self, word: &str) -> bool {
        if word.contains(' ') {
            return false;
        }
        let Some(dict) = self.dict else {
            return true;
        };
        dict.lookup(word).is_some_and(|e| {
            [
                Class::EnglishWord,
                Class::MedicalTerm,
                Class::Drug,
                Class::ClinicalAbbr,
                Class::StateAbbr,
                Class::Title,
                Class::RelationCue,
                Class::StreetSuffix,
                Class::Unit,
            ]
            .into_iter()
            .any(|c| e.is(c))
        })
    }

    /// The spellings, one per text (ASCII case ignored), keeping the loosest case rule.
    fn finish(mut self) -> Vec<Spelling> {
        self.list.sort_by(|a, b| {
            a.text
                .to_ascii_lowercase()
                .cmp(&b.text.to_ascii_lowercase())
                .then(a.case.cmp(&b.case))
        });
        self.list.dedup_by(|later, first| {
            // Exact spellings differ by case on purpose; keep each of them.
            first.text.eq_ignore_ascii_case(&later.text)
                && first.kind == later.kind
                && first.case != Case::Exact
        });
        self.list
    }
}

/// Titles and suffixes: part of a written name, never a name alone.
/// ("DO", "PA" and "NP" are left out: Do is a common surname, and a patient's name rarely carries
/// credentials.)
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "jr", "sr", "ii", "iii", "iv", "md",
    "phd", "rn",
];

fn is_title(word: &str) -> bool {
    let bare = word.trim_end_matches('.');
    TITLES.iter().any(|t| t.eq_ignore_ascii_case(bare))
}

/// One word of a name, as the caller wrote it.
struct Part<'a> {
    /// The word without trailing periods or surrounding punctuation.
    word: &'a str,
    /// Its first letter, for initials.
    initial: Option<char>,
}

fn name_spellings(value: &str, out: &mut Spellings) {
    // "Last, First Middle" is reordered to "First Middle Last".
    let ordered: String = match value.split_once(',') {
        Some((last, rest)) if !rest.trim().is_empty() => format!("{} {}", rest.trim(), last),
        _ => value.to_string(),
    };
    let words: Vec<&str> = ordered
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.'))
        .map(|w| w.trim_start_matches('.'))
        .filter(|w| !w.is_empty() && !is_title(w))
        .collect();
    let parts: Vec<Part<'_>> = words
        .iter()
        .map(|w| {
            let word = w.trim_end_matches('.');
            Part {
                word,
                initial: word.chars().next().filter(|c| c.is_alphabetic()),
            }
        })
        .filter(|p| !p.word.is_empty())
        .collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return;
    };

    // Each part alone, with its hyphen and apostrophe variants.
    for p in &parts {
        let letters = p.word.chars().filter(|c| c.is_alphabetic()).count();
        let lower_case = p.word.chars().next().is_some_and(char::is_lowercase);
        if letters < 2 || lower_case {
            continue;
        }
        for spelling in part_variants(p.word) {
            out.word_or_phrase(Kind::Name, &spelling);
        }
        // Each half of a hyphenated name ("Mary", "Ann"); not the rest after an apostrophe:
        // nobody calls O'Neil "Neil".
        for half in p.word.split('-') {
            if half.chars().count() >= 2 && !is_title(half) {
                out.word_or_phrase(Kind::Name, half);
            }
        }
    }
    if parts.len() == 1 {
        return;
    }
    // The plural of the family name: "the Smiths".
    if last.word.chars().count() >= 2 && last.word.is_ascii() {
        out.word_or_phrase(Kind::Name, &format!("{}s", last.word));
    }

    let all: Vec<&str> = parts.iter().map(|p| p.word).collect();
    let middles = parts.get(1..parts.len() - 1).unwrap_or(&[]);
    let dotted = |p: &Part<'_>| {
        if p.word.chars().count() == 1 {
            format!("{}.", p.word)
        } else {
            p.word.to_string()
        }
    };
    let full = all.join(" ");
    let full_dotted = parts.iter().map(dotted).collect::<Vec<_>>().join(" ");
    let rest_dotted = parts[1..].iter().map(dotted).collect::<Vec<_>>().join(" ");
    let first_middles = parts[..parts.len() - 1]
        .iter()
        .map(|p| p.word)
        .collect::<Vec<_>>()
        .join(" ");
    let first_middles_dotted = parts[..parts.len() - 1]
        .iter()
        .map(dotted)
        .collect::<Vec<_>>()
        .join(" ");
    let mut phrases = vec![
        full.clone(),
        full_dotted,
        format!("{} {}", first.word, last.word),
        format!("{}, {}", last.word, first.word),
        format!("{} {}", last.word, first.word),
        format!("{}, {}", last.word, first_middles),
        format!("{}, {}", last.word, first_middles_dotted),
    ];
    if !middles.is_empty() {
        // "Q. Smith": the middle name and the last.
        phrases.push(rest_dotted);
    }
    if let Some(fi) = first.initial {
        let mi: String = middles.iter().filter_map(|p| p.initial).collect();
        let mi_dotted: String = middles
            .iter()
            .filter_map(|p| p.initial)
            .map(|c| format!("{c}."))
            .collect();
        let mi_spaced: String = middles
            .iter()
            .filter_map(|p| p.initial)
            .map(|c| format!(" {c}."))
            .collect();
        phrases.push(format!("{fi}. {}", last.word));
        phrases.push(format!("{fi} {}", last.word));
        phrases.push(format!("{}, {fi}.", last.word));
        phrases.push(format!("{}, {fi}", last.word));
        if !middles.is_empty() {
            phrases.push(format!("{fi}.{mi_dotted} {}", last.word));
            phrases.push(format!("{fi}.{mi_spaced} {}", last.word));
            phrases.push(format!("{fi}{mi} {}", last.word));
            phrases.push(format!("{}, {fi}.{mi_dotted}", last.word));
        }
        // Initials alone, in capitals only: "J.S." and, with three or more, "JQS".
        if let Some(li) = last.initial {
            let upper = |s: String| s.to_uppercase();
            out.add(
                Kind::Name,
                Case::Exact,
                &upper(format!("{fi}.{mi_dotted}{li}.")),
            );
            if !middles.is_empty() {
                out.add(Kind::Name, Case::Exact, &upper(format!("{fi}{mi}{li}")));
            }
        }
    }
    // Every phrase also with hyphens and apostrophes as spaces or dropped.
    for phrase in phrases {
        for spelling in part_variants(&phrase) {
            out.add(Kind::Name, Case::Any, &spelling);
        }
    }
}

/// A word or phrase as given, and with its hyphens written as spaces or dropped, and its
/// apostrophes dropped, written as spaces or typographic (as word processors write them), in
/// every combination.
fn part_variants(word: &str) -> Vec<String> {
    let hyphens: &[&str] = if word.contains('-') {
        &["-", " ", ""]
    } else {
        &["-"]
    };
    let apostrophes: &[&str] = if word.contains('\'') {
        &["'", "", " ", "\u{2019}"]
    } else {
        &["'"]
    };
    let mut out = Vec::new();
    for h in hyphens {
        let hyphened = word.replace('-', h);
        for a in apostrophes {
            out.push(hyphened.replace('\'', a));
        }
    }
    out
}

/// Street suffixes as abbreviated and as spelled out.
const SUFFIXES: &[(&str, &str)] = &[
    ("st", "street"),
    ("ave", "avenue"),
    ("av", "avenue"),
    ("rd", "road"),
    ("dr", "drive"),
    ("ln", "lane"),
    ("blvd", "boulevard"),
    ("ct", "court"),
    ("pl", "place"),
    ("sq", "square"),
    ("hwy", "highway"),
    ("pkwy", "parkway"),
    ("cir", "circle"),
    ("ter", "terrace"),
    ("trl", "trail"),
    ("cres", "crescent"),
];

/// Words that start the unit piece of an address ("Apt 4B").
const UNIT_WORDS: &[&str] = &[
    "apt",
    "apartment",
    "unit",
    "suite",
    "ste",
    "#",
    "room",
    "rm",
    "fl",
    "floor",
    "bldg",
    "building",
    "po",
    "p.o.",
];

fn address_spellings(value: &str, out: &mut Spellings) {
    let pieces: Vec<&str> = value
        .split([',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    for (i, piece) in pieces.iter().enumerate() {
        let first_word = piece
            .split(|c: char| c.is_whitespace() || c.is_ascii_digit())
            .next()
            .unwrap_or("")
            .trim_end_matches('.');
        let is_unit = piece.starts_with('#')
            || UNIT_WORDS
                .iter()
                .any(|u| u.eq_ignore_ascii_case(first_word));
        if i == 0 || is_unit {
            street_spellings(piece, out);
            continue;
        }
        // "Springfield", "MA 01101", "Springfield MA 01101" or "01101".
        let mut words: Vec<&str> = piece.split_whitespace().collect();
        if let Some(zip) = words.last().copied().filter(|w| is_zip(w)) {
            id_spellings(Kind::Zip, zip, out);
            if let Some((five, _)) = zip.split_once('-') {
                id_spellings(Kind::Zip, five, out);
            }
            words.pop();
            if words.last().is_some_and(|w| is_state_abbr(w)) {
                words.pop();
            }
        }
        let rest = words.join(" ");
        // A piece that is only the state ("MA") names no city.
        let state_only = words.len() == 1 && is_state_abbr(&rest);
        if !rest.is_empty() && !state_only {
            out.word_or_phrase(Kind::City, &rest);
        }
    }
}

fn is_zip(word: &str) -> bool {
    let b = word.as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    match b.len() {
        5 => digits(b),
        10 => b.get(5) == Some(&b'-') && digits(&b[..5]) && digits(&b[6..]),
        _ => false,
    }
}

/// Two capital letters ("MA"): a state's postal code, not a city.
fn is_state_abbr(word: &str) -> bool {
    word.len() == 2 && word.bytes().all(|b| b.is_ascii_uppercase())
}

/// A street line: as given, with the suffix abbreviated (with and without a period) and spelled
/// out, each with and without the house number.
fn street_spellings(value: &str, out: &mut Spellings) {
    let words: Vec<&str> = value.split_whitespace().collect();
    if words.is_empty() {
        return;
    }
    // The last word that is a suffix, in any of its spellings.
    let mut forms: Vec<Vec<String>> = vec![words.iter().map(|w| w.to_string()).collect()];
    let suffix_at = words.iter().rposition(|w| {
        let bare = w.trim_end_matches('.');
        SUFFIXES
            .iter()
            .any(|(a, b)| a.eq_ignore_ascii_case(bare) || b.eq_ignore_ascii_case(bare))
    });
    if let Some(at) = suffix_at {
        let bare = words[at].trim_end_matches('.');
        for (abbr, long) in SUFFIXES {
            if abbr.eq_ignore_ascii_case(bare) || long.eq_ignore_ascii_case(bare) {
                for spelled in [
                    capitalize(abbr),
                    format!("{}.", capitalize(abbr)),
                    capitalize(long),
                ] {
                    let mut f: Vec<String> = words.iter().map(|w| w.to_string()).collect();
                    f[at] = spelled;
                    forms.push(f);
                }
            }
        }
    }
    let numbered = words
        .first()
        .is_some_and(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()));
    for form in forms {
        out.add(Kind::StreetAddress, Case::Any, &form.join(" "));
        // Without the house number: "Elm Street". Needs a name and a suffix, or more words.
        if numbered && form.len() >= 3 {
            out.add(Kind::StreetAddress, Case::Any, &form[1..].join(" "));
        }
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A number or code: as given, without its breaks, without leading zeros, and phone/SSN layouts.
fn id_spellings(kind: Kind, value: &str, out: &mut Spellings) {
    let value = value.trim();
    let skeleton: String = value.chars().filter(|c| c.is_alphanumeric()).collect();
    if skeleton.chars().count() < 4 {
        return;
    }
    out.add(kind, Case::Any, value);
    // A date without its slashes is a time or a number ("03/04" -> "0304"): as written only.
    if kind == Kind::Date {
        return;
    }
    let plain = value
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '.' | '/' | '(' | ')' | '+'));
    if !plain {
        return;
    }
    out.add(kind, Case::Any, &skeleton);
    let unpadded = skeleton.trim_start_matches('0');
    if unpadded.len() != skeleton.len() && unpadded.chars().count() >= 5 {
        out.add(kind, Case::Any, unpadded);
    }
    let digits = skeleton.bytes().all(|b| b.is_ascii_digit());
    if !digits {
        return;
    }
    // Ten digits (or eleven with the country code 1) of a phone or fax number.
    let ten = match skeleton.len() {
        10 => Some(skeleton.as_str()),
        11 if skeleton.starts_with('1') => skeleton.get(1..),
        _ => None,
    };
    if let (Kind::Phone | Kind::Fax, Some(d)) = (kind, ten) {
        let (a, e, n) = (&d[..3], &d[3..6], &d[6..]);
        for layout in [
            format!("({a}) {e}-{n}"),
            format!("({a}){e}-{n}"),
            format!("{a}-{e}-{n}"),
            format!("{a}.{e}.{n}"),
            format!("{a} {e} {n}"),
            format!("{a} {e}-{n}"),
            format!("+1 {a}-{e}-{n}"),
            format!("+1 ({a}) {e}-{n}"),
            format!("1-{a}-{e}-{n}"),
            d.to_string(),
        ] {
            out.add(kind, Case::Any, &layout);
        }
    }
    if kind == Kind::Ssn && skeleton.len() == 9 {
        let (a, g, s) = (&skeleton[..3], &skeleton[3..5], &skeleton[5..]);
        for layout in [format!("{a}-{g}-{s}"), format!("{a} {g} {s}")] {
            out.add(kind, Case::Any, &layout);
        }
    }
}

/// Puts the known findings together with the engine's usual ones (both in the same coordinates,
/// each list sorted and non-overlapping) into one sorted, non-overlapping list.
///
/// The known value wins, with two refinements that keep the most text covered:
/// - a usual finding of the same kind that overlaps known ones is merged with them into one known
///   finding covering both ("Dr. John Smith" found as a name, "John Smith" known);
/// - a usual finding of another kind that covers a known one and more (an e-mail address that
///   contains the patient's first name) is kept, and the known one inside it is dropped: cutting
///   the e-mail address into pieces would leave the rest of it in the clear.
///
/// Every other usual finding that overlaps a known one is dropped.
pub(crate) fn merge(usual: Vec<Finding>, known: Vec<Finding>) -> Vec<Finding> {
    if known.is_empty() {
        return usual;
    }
    let mut absorbed = vec![false; known.len()];
    let mut all: Vec<Finding> = Vec::with_capacity(usual.len() + known.len());
    for u in usual {
        // Known findings are sorted and disjoint, so those overlapping `u` are consecutive.
        let from = known.partition_point(|k| k.span.end <= u.span.start);
        let overlapping = (from..known.len()).take_while(|&i| known[i].span.start < u.span.end);
        let covers = |k: &Finding| {
            u.span.start <= k.span.start && k.span.end <= u.span.end && u.span.len() > k.span.len()
        };
        if overlapping
            .clone()
            .any(|i| known[i].kind != u.kind && !covers(&known[i]))
        {
            continue;
        }
        for i in overlapping {
            if known[i].kind != u.kind {
                absorbed[i] = true;
            }
        }
        all.push(u);
    }
    all.extend(
        known
            .iter()
            .zip(&absorbed)
            .filter(|(_, &gone)| !gone)
            .map(|(k, _)| *k),
    );
    all.sort_by_key(|f| (f.span.start, f.span.end));

    // What overlaps now is a usual finding and known ones of its kind: merge each group.
    let mut out: Vec<Finding> = Vec::with_capacity(all.len());
    for f in all {
        match out.last_mut() {
            Some(last) if last.span.overlaps(f.span) => {
                let known_one = if last.detector.starts_with("known.") {
                    *last
                } else {
                    f
                };
                *last = Finding {
                    span: Span::new(last.span.start, last.span.end.max(f.span.end)),
                    ..known_one
                };
            }
            _ => out.push(f),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found<'t>(known: &Known, text: &'t str) -> Vec<(Kind, &'t str)> {
        known
            .find(text)
            .iter()
            .map(|f| (f.kind, &text[f.span.range()]))
            .collect()
    }

    #[test]
    fn name_parts_and_orders() {
        let k = Known::new().name("John Q. Smith");
        let text = "Smith, John Q. and J. Smith and JQS and J.Q.S. and John";
        let texts: Vec<&str> = found(&k, text).iter().map(|(_, t)| *t).collect();
        assert_eq!(
            texts,
            ["Smith, John Q.", "J. Smith", "JQS", "J.Q.S.", "John"]
        );
        // Lower-case initials are not the initials.
        assert!(found(&k, "jqs").is_empty());
    }

    #[test]
    fn titles_and_particles_are_not_names_alone() {
        let k = Known::new().name("Dr. Maria de la Cruz Jr.");
        let texts: Vec<(Kind, &str)> = found(&k, "Dr de Cruz Jr la Maria");
        assert_eq!(texts, [(Kind::Name, "Cruz"), (Kind::Name, "Maria")]);
    }

    #[test]
    fn ids_without_breaks_and_zeros() {
        let k = Known::new().mrn("0012-3456");
        let text = "MRN 0012-3456, 00123456, 123456; not 1234567 or 12-3456.";
        let texts: Vec<&str> = found(&k, text).iter().map(|(_, t)| *t).collect();
        assert_eq!(texts, ["0012-3456", "00123456", "123456"]);
        // Too short to be matched at all.
        assert!(found(&Known::new().mrn("012"), "012").is_empty());
    }

    #[test]
    fn merge_rules() {
        let f = |kind, start, end, known: bool| Finding {
            kind,
            span: Span::new(start, end),
            score: if known { 1.0 } else { 0.5 },
            detector: if known { "known.name" } else { "x" },
        };
        // Same kind: merged, known detector.
        let out = merge(
            vec![f(Kind::Name, 0, 10, false)],
            vec![f(Kind::Name, 4, 12, true)],
        );
        assert_eq!(out, [f(Kind::Name, 0, 12, true)]);
        // Another kind covering more: kept, the known one dropped.
        let out = merge(
            vec![f(Kind::Email, 0, 20, false)],
            vec![f(Kind::Name, 0, 4, true)],
        );
        assert_eq!(out, [f(Kind::Email, 0, 20, false)]);
        // Another kind overlapping partly: the known one wins.
        let out = merge(
            vec![f(Kind::Date, 2, 8, false), f(Kind::Date, 20, 25, false)],
            vec![f(Kind::Name, 0, 4, true)],
        );
        assert_eq!(
            out,
            [f(Kind::Name, 0, 4, true), f(Kind::Date, 20, 25, false)]
        );
    }
}
