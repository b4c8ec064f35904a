//! From gold types to our kinds: the one table every gold format goes through.
//!
//! Gold corpora name their types in their own ways (`PATIENT`, `HCPName`, ...). [`TABLE`] maps
//! each known name, compared ignoring ASCII case, to one of our [`Kind`]s, or says it is not PHI
//! under Safe Harbor. A name missing from the table that is one of our kind names (`NAME`,
//! `STREET_ADDRESS`, ...) maps to that kind, so a BRAT corpus can be annotated with our names
//! directly. Any other name is *unmapped*: it is still counted as PHI (a scorer should not
//! overstate recall because it does not know a label), and the report lists it.
//!
//! `docs/eval.md` shows the same table; a test keeps the two in step.
//!
//! Neutral gold is neither required nor a false positive when found. It is:
//! - always: professions, states and countries (Safe Harbor removes geographic units smaller
//!   than a state, and no occupation);
//! - with `--safe-harbor`: a year alone (PhysioNet `DateYear`, or date gold whose text is just a
//!   year such as `2019`, `'19` or `1990s`) and an age of 89 or less (Safe Harbor keeps both).

use phirewall::Kind;

/// What a gold type means for scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// PHI of this kind. `DATE` and `AGE` gold can still be neutral in the Safe Harbor view,
    /// depending on the annotated text (see [`classify`]).
    Kind(Kind),
    /// A year alone (a `DATE` element): neutral in the Safe Harbor view.
    Year,
    /// Never PHI under Safe Harbor: neutral in every view.
    NotPhi,
}

/// One row of the mapping.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// The gold type name (compared ignoring ASCII case).
    pub gold: &'static str,
    /// The corpus that uses it (shown in docs/eval.md, which a test compares with this table).
    #[cfg_attr(not(test), allow(dead_code))]
    pub corpus: &'static str,
    /// What it maps to.
    pub target: Target,
}

const fn row(corpus: &'static str, gold: &'static str, target: Target) -> Row {
    Row {
        gold,
        corpus,
        target,
    }
}

const I2B2: &str = "i2b2 2014";
const PHYSIONET: &str = "PhysioNet";

use Target::{Kind as K, NotPhi, Year};

/// The mapping from gold types to our kinds. Rows for the same name (ignoring case) must agree.
pub const TABLE: &[Row] = &[
    // i2b2 2014 (TYPE attribute). The i2b2 tag (NAME, LOCATION, ...) is not used: TYPE is finer.
    row(I2B2, "PATIENT", K(Kind::Name)),
    row(I2B2, "DOCTOR", K(Kind::Name)),
    row(I2B2, "USERNAME", K(Kind::Name)),
    row(I2B2, "PROFESSION", NotPhi),
    row(I2B2, "ROOM", K(Kind::Location)),
    row(I2B2, "DEPARTMENT", K(Kind::Location)),
    row(I2B2, "HOSPITAL", K(Kind::Location)),
    row(I2B2, "ORGANIZATION", K(Kind::Location)),
    row(I2B2, "STREET", K(Kind::StreetAddress)),
    row(I2B2, "CITY", K(Kind::City)),
    row(I2B2, "STATE", NotPhi),
    row(I2B2, "COUNTRY", NotPhi),
    row(I2B2, "ZIP", K(Kind::Zip)),
    row(I2B2, "LOCATION-OTHER", K(Kind::Location)),
    row(I2B2, "AGE", K(Kind::Age)),
    row(I2B2, "DATE", K(Kind::Date)),
    row(I2B2, "PHONE", K(Kind::Phone)),
    row(I2B2, "FAX", K(Kind::Fax)),
    row(I2B2, "EMAIL", K(Kind::Email)),
    row(I2B2, "URL", K(Kind::Url)),
    row(I2B2, "IPADDR", K(Kind::Ip)),
    row(I2B2, "SSN", K(Kind::Ssn)),
    row(I2B2, "MEDICALRECORD", K(Kind::Mrn)),
    row(I2B2, "HEALTHPLAN", K(Kind::HealthPlan)),
    row(I2B2, "ACCOUNT", K(Kind::Account)),
    row(I2B2, "LICENSE", K(Kind::License)),
    row(I2B2, "DEVICE", K(Kind::Device)),
    row(I2B2, "VEHICLE", K(Kind::Vehicle)),
    row(I2B2, "BIOID", K(Kind::Biometric)),
    row(I2B2, "IDNUM", K(Kind::OtherId)),
    row(I2B2, "OTHER", K(Kind::OtherId)),
    // PhysioNet deid (the type column of id-phi.phrase).
    row(PHYSIONET, "PTName", K(Kind::Name)),
    row(PHYSIONET, "PTNameInitial", K(Kind::Name)),
    row(PHYSIONET, "RelativeProxyName", K(Kind::Name)),
    row(PHYSIONET, "HCPName", K(Kind::Name)),
    row(PHYSIONET, "Location", K(Kind::Location)),
    row(PHYSIONET, "Date", K(Kind::Date)),
    row(PHYSIONET, "DateYear", Year),
    row(PHYSIONET, "Phone", K(Kind::Phone)),
    row(PHYSIONET, "Age", K(Kind::Age)),
    row(PHYSIONET, "Other", K(Kind::OtherId)),
];

/// The target of a gold type name: the table first, then our own kind names. `None` when the
/// name is unknown.
pub fn lookup(gold_type: &str) -> Option<Target> {
    TABLE
        .iter()
        .find(|r| r.gold.eq_ignore_ascii_case(gold_type))
        .map(|r| r.target)
        .or_else(|| gold_type.parse::<Kind>().ok().map(Target::Kind))
}

/// Why gold is neutral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Neutral {
    /// Not PHI under Safe Harbor in any view (profession, state, country).
    NotPhi,
    /// A year alone, in the Safe Harbor view.
    Year,
    /// An age of 89 or less, in the Safe Harbor view.
    YoungAge,
}

/// How one gold annotation is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// It must be found; `None` when its type is unmapped.
    Required(Option<Kind>),
    /// Neither required nor a false positive when found.
    Neutral(Neutral),
}

/// Decides how gold of `gold_type` annotating `text` is scored.
pub fn classify(gold_type: &str, text: &str, safe_harbor: bool) -> Verdict {
    match lookup(gold_type) {
        None => Verdict::Required(None),
        Some(Target::NotPhi) => Verdict::Neutral(Neutral::NotPhi),
        Some(Target::Year) if safe_harbor => Verdict::Neutral(Neutral::Year),
        Some(Target::Year) => Verdict::Required(Some(Kind::Date)),
        Some(Target::Kind(Kind::Date)) if safe_harbor && is_year_alone(text) => {
            Verdict::Neutral(Neutral::Year)
        }
        Some(Target::Kind(Kind::Age)) if safe_harbor && !is_age_over_89(text) => {
            Verdict::Neutral(Neutral::YoungAge)
        }
        Some(Target::Kind(kind)) => Verdict::Required(Some(kind)),
    }
}

/// Whether date gold is a year and nothing else: four digits (`2019`), an apostrophe and two
/// digits (`'19`), either with a plural `s` (`1990s`, `'90s`). A bare two-digit number is not
/// taken for a year: it may as well be a day.
pub fn is_year_alone(text: &str) -> bool {
    let t = text.trim();
    let t = t.strip_suffix('s').unwrap_or(t);
    let (digits, want) = match t.strip_prefix('\'') {
        Some(rest) => (rest, 2),
        None => (t, 4),
    };
    digits.len() == want && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Whether age gold says more than 89 years: its first number, or, when it has no digits, a
/// word for the nineties or a hundred (`ninety-two`, `nineties`, `one hundred`). Ages in other
/// words (`eighty`) are 89 or less.
pub fn is_age_over_89(text: &str) -> bool {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.is_empty() {
        let lower = text.to_ascii_lowercase();
        return lower.contains("ninet") || lower.contains("hundred");
    }
    // More digits than a u32 holds is certainly over 89.
    digits.parse::<u32>().map_or(true, |n| n > 89)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_with_the_same_name_agree() {
        for a in TABLE {
            for b in TABLE {
                if a.gold.eq_ignore_ascii_case(b.gold) {
                    assert_eq!(a.target, b.target, "{} differs", a.gold);
                }
            }
        }
    }

    #[test]
    fn docs_show_the_same_table() {
        let docs = include_str!("../../../../docs/eval.md");
        for r in TABLE {
            let target = match r.target {
                Target::Kind(k) => k.as_str(),
                Target::Year => "DATE, year alone",
                Target::NotPhi => "neutral",
            };
            let line = format!("| {} | `{}` | {} |", r.corpus, r.gold, target);
            assert!(docs.contains(&line), "docs/eval.md lacks the row: {line}");
        }
        let rows = docs
            .lines()
            .filter(|l| l.starts_with("| i2b2 2014 |") || l.starts_with("| PhysioNet |"));
        assert_eq!(
            rows.count(),
            TABLE.len(),
            "docs/eval.md has rows the code does not"
        );
    }

    #[test]
    fn looks_up_ignoring_case_and_by_kind_name() {
        assert_eq!(lookup("patient"), Some(Target::Kind(Kind::Name)));
        assert_eq!(lookup("hcpname"), Some(Target::Kind(Kind::Name)));
        assert_eq!(lookup("Medicalrecord"), Some(Target::Kind(Kind::Mrn)));
        assert_eq!(
            lookup("street_address"),
            Some(Target::Kind(Kind::StreetAddress))
        );
        assert_eq!(lookup("HEALTH_PLAN"), Some(Target::Kind(Kind::HealthPlan)));
        assert_eq!(lookup("Drug"), None);
    }

    #[test]
    fn neutral_types() {
        for t in ["PROFESSION", "State", "country"] {
            assert_eq!(
                classify(t, "x", false),
                Verdict::Neutral(Neutral::NotPhi),
                "{t}"
            );
        }
        assert_eq!(
            classify("DateYear", "1992", false),
            Verdict::Required(Some(Kind::Date))
        );
        assert_eq!(
            classify("DateYear", "92", true),
            Verdict::Neutral(Neutral::Year)
        );
        assert_eq!(
            classify("DATE", "2069", true),
            Verdict::Neutral(Neutral::Year)
        );
        assert_eq!(
            classify("DATE", "2069", false),
            Verdict::Required(Some(Kind::Date))
        );
        assert_eq!(
            classify("DATE", "3/4/2069", true),
            Verdict::Required(Some(Kind::Date))
        );
        assert_eq!(
            classify("AGE", "67", true),
            Verdict::Neutral(Neutral::YoungAge)
        );
        assert_eq!(
            classify("AGE", "67", false),
            Verdict::Required(Some(Kind::Age))
        );
        assert_eq!(
            classify("AGE", "92", true),
            Verdict::Required(Some(Kind::Age))
        );
        assert_eq!(classify("Drug", "x", true), Verdict::Required(None));
    }

    #[test]
    fn years_alone() {
        for y in ["2019", " 1992 ", "'19", "1990s", "'90s"] {
            assert!(is_year_alone(y), "{y}");
        }
        for n in ["19", "3/2019", "May 2019", "20190", "'1", "s", ""] {
            assert!(!is_year_alone(n), "{n}");
        }
    }

    #[test]
    fn ages_over_89() {
        for a in [
            "90",
            "92 y/o",
            "101",
            "ninety-one",
            "Nineties",
            "one hundred",
            "99999999999",
        ] {
            assert!(is_age_over_89(a), "{a}");
        }
        for a in ["89", "late 80s", "eighty", "7 months", "twenties"] {
            assert!(!is_age_over_89(a), "{a}");
        }
    }
}
