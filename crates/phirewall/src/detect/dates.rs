//! DATE: every element of a date except a year standing alone.
//!
//! Safe Harbor removes "all elements of dates (except year) for dates directly related to an
//! individual": a day, a month with a day, a month with a year, a holiday that names a day of the
//! year. A year alone ("in 1992", "S/P MI 1992") is not reported; a year inside a date is part of
//! the date's span, and so is a weekday in front of it ("Tuesday, March 4" is one finding). The
//! one exception is a two-digit year marked with an apostrophe in a medical history ("CABG
//! '03", "appy 71'"), reported with a low score (see `date.apostrophe_year`).
//!
//! Clinical text is full of numbers shaped like dates: blood pressures (120/80), ratios and
//! fractions (1/2 tab, 2/3 of the time), scores (Apgar 8/9, strength 5/5, pain 7/10, murmur 2/6),
//! lab pairs (BUN/Cr 54/2.8), ventilator settings (PS 10/5), decimals, codes and times. Every
//! pattern here is therefore validated:
//!
//! - the month and day must exist (no 13/45, no 2/30/2021, no April 31);
//! - a number glued to more digits by `/`, `.`, `-` or `:` is part of something longer (GCS 3/4/5,
//!   2.3/4, 7/22-23) and is left alone;
//! - a month/day without a year is rejected when a measurement, scale or ventilator term is near
//!   it in the same clause ("BP", "Apgar", "strength", "pain", "SIMV/PS") or a unit follows it
//!   ("tab", "mg", "of", "NS", "SEM"), unless a date word ("since", "admitted", "post") stands
//!   right before it; a preposition ("on 3/4") outweighs only a measurement right before.
//!
//! These checks read the words around each candidate (see [`measured`]) rather than cue phrases:
//! the terms are short abbreviations whose meaning depends on where they stand in the clause,
//! which word lists with positions express more directly than cue classes.
//!
//! Scores: a full date scores 0.95, a month/year 0.85-0.9, a holiday 0.85, a bare month/day 0.6
//! (0.8 after a date word), a month name alone 0.5. Callers who want precision over recall can
//! drop the weak ones with `min_score`.

use super::terms::{Lists, TermTable};
use super::{accept, Context, Cue, Hit, Pattern};
use crate::{Finding, Kind, Span};

/// No cue phrases: the checks read the words around a candidate date instead (see the module
/// docs), which costs nothing when there is no candidate.
pub(crate) const CUES: &[(&str, Cue)] = &[];

/// Vital signs, lab names and exam findings whose values look like month/day pairs: "BP 12/8",
/// "BUN/Cr 54/2.8", "I/O 1200/800", "Apgars 8/9", "pupils 3/3", "rales 1/3 up", "2/6 SEM".
const MEASURE_TERMS: &[&str] = &[
    "bp", "b/p", "nbp", "nibp", "abp", "sbp", "map", "maps", "cvp", "pap", "pas", "pcwp", "wedge",
    "hr", "rr", "resp", "temp", "sat", "sats", "spo", "vs", "vitals", "pupils", "perrl", "perrla",
    "apgar", "apgars", "gcs", "ratio", "p/f", "i/o", "i&o", "in/out", "uo", "u/o", "intake",
    "output", "bun", "cr", "creat", "hct", "hgb", "h/h", "h&h", "plt", "ptt", "inr", "ck", "cpk",
    "mb", "trop", "lytes", "glucose", "fsbs", "murmur", "sem", "rales", "crackles", "cxs", "co",
    "ci", "svr", "pressure",
];

/// Strength, pain and other scales: "strength 5/5", "RUE 4/5", "pain 7/10", "c/o 6/10 CP",
/// "grade 2/6". A score is at most its scale, so these mark only pairs whose first number is not
/// the larger ("c/o CP 3/2" is a date); "pressure" is also a measurement term, for "pressure
/// 12/8".
const SCALE_TERMS: &[&str] = &[
    "strength",
    "motor",
    "grip",
    "grips",
    "power",
    "pain",
    "cp",
    "angina",
    "discomfort",
    "pressure",
    "ache",
    "headache",
    "c/o",
    "score",
    "scale",
    "rated",
    "rates",
    "grade",
    "level",
    "mae",
    "rue",
    "lue",
    "rle",
    "lle",
    "bue",
    "ble",
    "extremities",
    "rass",
    "nihss",
];

/// Ventilator modes and settings, whose pressures ("PS 10/5", "CPAP 5/5", "weaning trial on 5/5")
/// are often written a few words away from the mode: "SIMV/PS, 50%, 550x6, & 8/10".
const VENT_TERMS: &[&str] = &[
    "ps",
    "peep",
    "cpap",
    "bipap",
    "psv",
    "simv",
    "imv",
    "ac",
    "a/c",
    "vent",
    "vented",
    "ventilator",
    "ventilation",
    "fio",
    "flowby",
    "wean",
    "weaning",
    "trial",
    "trialed",
    "settings",
    "mode",
    "abg",
];

/// Words before a version number: "version 1.2.2021" is a release, not a date.
const VERSION_TERMS: &[&str] = &["version", "ver", "v", "rev", "release", "build", "firmware"];

/// A month name or abbreviation. Full names come first so that "march" is not cut to "mar"; an
/// abbreviation may carry its period ("Sept.", "nov."), a full name may not (that period ends the
/// sentence). The `\b` keeps "mar" out of "marked" and "dec" out of "decreased".
const MONTH: &str = r"(?:(?:january|february|march|april|may|june|july|august|september|october|november|december)\b|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b\.?)";

/// A day of the month, 1 to 31 (one or two digits), with an optional ordinal suffix.
const DAY: &str = r"(?:0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?\b";

/// A four-digit year from 1800 to 2199 (wide enough for birth dates of the very old).
const YEAR4: &str = r"(?:1[89][0-9]{2}|2[01][0-9]{2})";

/// An apostrophe, ASCII or typographic (U+2019), as in "New Year's Day".
const APOS: &str = r"(?:'|(?u:\x{2019}))";

pub(crate) fn patterns() -> Vec<Pattern> {
    vec![
        // Holidays that name one day of the year: "Christmas", "New Year's Eve", "Labor Day",
        // "Fourth of July", optionally with a year ("Thanksgiving 2019"). Holidays that span
        // several days or move with a lunar calendar are left out. "July 4th" and "4th of July"
        // are ordinary month/day dates and are found by the patterns below.
        Pattern::new(
            "date.holiday",
            Kind::Date,
            0.85,
            format!(
                r"(?i)\b(?:christmas(?:[ \t]+(?:eve|day))?|x-?mas(?:[ \t]+eve)?|thanksgiving(?:[ \t]+day)?|new[ \t]+year(?:{APOS}?s(?:[ \t]+(?:day|eve))?|[ \t]+(?:day|eve))|easter(?:[ \t]+(?:sunday|monday))?|good[ \t]+friday|hallowe{APOS}?en|(?:st\.?[ \t]+)?valentine{APOS}?s?[ \t]+day|memorial[ \t]+day|labou?r[ \t]+day|independence[ \t]+day|veteran{APOS}?s{APOS}?[ \t]+day|columbus[ \t]+day|president{APOS}?s{APOS}?[ \t]+day|mother{APOS}?s[ \t]+day|father{APOS}?s[ \t]+day|(?:mlk|martin[ \t]+luther[ \t]+king(?:,?[ \t]+jr\.?)?)[ \t]+day|juneteenth|(?:st\.?|saint)[ \t]+patrick{APOS}?s[ \t]+day|fourth[ \t]+of[ \t]+july|july[ \t]+fourth)\b(?:,?[ \t]+{YEAR4}\b)?"
            ),
            accept,
        ),
        // Month name, then day: "March 4th", "Mar 4, 2021", "Mar. 4", "MARCH 4", "March 4-6",
        // "Sept 4 to 6", "Mar 4 '21". The year may follow with or without a comma; a two-digit
        // year needs a comma or an apostrophe. Rejected: days the month does not have (Feb 30,
        // April 31), and "may"/"mar"/"dec"/"aug" in lower or upper case without a year or ordinal
        // unless a date word precedes them ("pt may 2" is a verb, "dec 2" means decreased, "AUG 2"
        // can be Augmentin).
        Pattern::new(
            "date.month_day",
            Kind::Date,
            0.95,
            format!(
                r"(?i)\b{MONTH}[ \t]*{DAY}(?:(?:[ \t]*-[ \t]*|[ \t]+(?:to|through|thru)[ \t]+){DAY})?(?:,?[ \t]*{YEAR4}\b|[ \t]*,[ \t]*'?[0-9]{{2}}\b|[ \t]+'[0-9]{{2}}\b)?"
            ),
            check_month_name,
        ),
        // Day, then month name: "4 Mar 2021", "04-Mar-2021", "04-Mar-21", "4th of March",
        // "21 Apr, 21", "20th Oct, 1989". Same validation as month/day. "the" before an ordinal
        // is not part of the span ("the 4th of March" reports "4th of March").
        Pattern::new(
            "date.day_month",
            Kind::Date,
            0.95,
            format!(
                r"(?i)\b{DAY}(?:[ \t]+of[ \t]+|[ \t]*[-/][ \t]*|[ \t]+){MONTH}(?:(?:,[ \t]*|[ \t]+|[-/]){YEAR4}\b|(?:,[ \t]*'?|[ \t]+'|[-/])[0-9]{{2}}\b)?"
            ),
            check_month_name,
        ),
        // Month name and year without a day: "March 2021", "nov. 2016", "Mar-2021", "Mar-21",
        // "March of 2021", "March '21".
        Pattern::new(
            "date.month_year",
            Kind::Date,
            0.9,
            format!(
                r"(?i)\b{MONTH}(?:(?:,?[ \t]*|[ \t]+of[ \t]+|[-/]){YEAR4}|(?:[-/]'?|[ \t]*')[0-9]{{2}})\b"
            ),
            check_month_name,
        ),
        // A month name alone: "in July", "since Oct.", "mid-September". A month is a date element
        // under Safe Harbor, but names alone are weak evidence, so they score 0.5 and are only
        // taken where they cannot be something else: "may" and "mar"/"dec"/"aug" never; "April",
        // "June", "August", "march" and every abbreviation only after a word such as "in",
        // "since" or "early" (April and June are also first names, "Jan" too, "march" a verb).
        Pattern::new(
            "date.month_alone",
            Kind::Date,
            0.5,
            r"(?i)\b(?:(?:january|february|march|april|june|july|august|september|october|november|december)\b|(?:jan|feb|apr|jun|jul|sept|oct|nov)\b\.?)",
            check_month_alone,
        ),
        // ISO year-month-day: "2021-03-04", "2021/3/4". The year comes first, so it cannot be
        // confused with a ratio; the month and day are still checked.
        Pattern::new(
            "date.iso",
            Kind::Date,
            0.95,
            format!(r"\b{YEAR4}(?:-[0-9]{{1,2}}-[0-9]{{1,2}}|/[0-9]{{1,2}}/[0-9]{{1,2}})\b"),
            check_iso,
        ),
        // Two month/day dates written together with a slash: "treated 10/03/10/04" (the 3rd
        // and the 4th). Both halves must be real dates, the second after the first and at most a
        // month later, so score runs ("GCS 3/4/5/6") and pupil sizes ("3/2/3/2") stay out. Before
        // "date.numeric", which would read the first three numbers as a two-digit-year date.
        Pattern::new(
            "date.month_day_pair",
            Kind::Date,
            0.7,
            r"\b[0-9]{1,2}/[0-9]{1,2}/[0-9]{1,2}/[0-9]{1,2}\b",
            check_month_day_pair,
        ),
        // Numeric date with a year: "3/4/21", "03/04/2021", "3-4-2021", "12/31/1999", day-first
        // "31/12/2021" and "31.12.2021". Month-first is tried first (US notes); day-first only
        // with a four-digit year, when the month-first reading is impossible. Dots only with a
        // four-digit year, so decimals and version numbers ("3.4", "1.2.10") never match.
        Pattern::new(
            "date.numeric",
            Kind::Date,
            0.95,
            r"\b[0-9]{1,2}(?:/[0-9]{1,2}/(?:[0-9]{4}|[0-9]{2})|-[0-9]{1,2}-(?:[0-9]{4}|[0-9]{2})|\.[0-9]{1,2}\.[0-9]{4})\b",
            check_numeric,
        ),
        // Numeric month/year: "03/2021", "3/2019" (years 1900-2099 only, so dilutions such as
        // 1/1000 stay out).
        Pattern::new(
            "date.numeric_month_year",
            Kind::Date,
            0.85,
            r"\b[0-9]{1,2}/(?:19|20)[0-9]{2}\b",
            check_numeric_month_year,
        ),
        // Month/day without a year: "3/4", "on 7/22", "12/31", a range "6/30-7/2"; also a month
        // with a two-digit year that cannot be a day ("AVR 8/88", "fx 5/97"). This is the shape
        // most often shared with non-dates, so it scores 0.6 and gets every context test.
        Pattern::new(
            "date.month_day_numeric",
            Kind::Date,
            0.6,
            r"\b[0-9]{1,2}/[0-9]{1,2}(?:[ \t]?-[ \t]?[0-9]{1,2}/[0-9]{1,2})?\b",
            check_month_day_numeric,
        ),
        // Month-day with a hyphen and no year, only right after a word that introduces a date:
        // "back to OR 7-8 for clipping", "s/p fall 3-12", "extubated 4-2." Without such a
        // word "2-3" is a range ("2-3 L", "from 3-5 units"), and even with one the check asks
        // that nothing quantity-like follows ("on 2-3 L NC", "on 1-2 pressors"). "from" counts
        // only before a test result ("urine cx from 4-6 grew E. coli": the day the sample was
        // taken), since "from 2-3 to 4-5" is a range. The cue word is in the regex, so the
        // pattern matches nothing where it is absent.
        Pattern::new(
            "date.month_day_hyphen",
            Kind::Date,
            0.6,
            r"(?i)\b(?:on|since|until|till|s/p|admitted|readmitted|extubated|intubated|reintubated|discharged|dated|from)[ \t]{1,3}(?P<v>[0-9]{1,2}-[0-9]{1,2})\b",
            check_month_day_hyphen,
        ),
        // A month and two-digit year glued to the word before it, a typing slip: "s/p pelvic
        // fx4/97". Only years 32-99, which cannot be a day, so glued fractions ("x2/3") and
        // counts do not match. The pattern starts at the last letter of the word and the check
        // looks back for the rest: a pattern starting at every word ("\b[a-z]{1,12}...")
        // multiplied the lazy DFA's states with every other pattern's, and one starting at the
        // digits made every blood pressure ("110/65") a candidate to reject.
        Pattern::new(
            "date.glued_month_year",
            Kind::Date,
            0.6,
            r"[A-Za-z](?P<v>(?:0?[1-9]|1[0-2])/[3-9][0-9])\b",
            check_glued_month_year,
        ),
        // A two-digit year marked with an apostrophe in a medical history: "MI '98", "s/p CABG
        // '04", "appy 97'". A year alone is not a date element, but one written this way dates an
        // event of the patient's history, and de-identification standards for clinical notes
        // mark it with the dates; it scores 0.5 so that callers who keep years can drop it with
        // `min_score`. The apostrophe is what makes it a year: a bare "98" is a count or a value.
        // An apostrophe after the digits is also feet or minutes ("HOB 30'", "fell 10'",
        // "5'10\""), so that form needs a history section around it (see [`check_apostrophe_year`]).
        Pattern::new(
            "date.apostrophe_year",
            Kind::Date,
            0.5,
            format!(r"{APOS}[0-9]{{2}}\b|\b[0-9]{{2}}{APOS}"),
            check_apostrophe_year,
        ),
        // A two-digit year without an apostrophe, in a medical history, where only an event
        // word next to it says it is a year: before a procedure ("PMH: ... 09 PTCA to LCX, 13
        // stent to RCA") or after an event at the end of a list item ("NQWMI 13.", "CVA 04,").
        // Elsewhere a bare two-digit number is a count or a value, and even in a history a
        // number before a unit or another number is one ("2 stents", "PTCA x 2" have one digit,
        // "stent 18 mm" a unit). Scores 0.5, as `date.apostrophe_year`.
        Pattern::new(
            "date.history_year",
            Kind::Date,
            0.5,
            format!(
                r"\b(?P<v>[0-9]{{2}})[ \t]+(?i:{HISTORY_EVENTS})\b|\b(?i:{HISTORY_EVENTS})[ \t]+[0-9]{{2}}\b"
            ),
            check_history_year,
        ),
        // An ordinal day alone after a date word: "on the 4th", "it's the 11th", "until the 15th".
        // Only the ordinal is reported. Rejected when a noun follows ("on the 4th floor", "by the
        // 3rd day") or when "of" follows (then it is "the 4th of March", found above).
        Pattern::new(
            "date.ordinal_day",
            Kind::Date,
            0.6,
            r"(?i)\b(?:on|since|until|till|by|before|after|from|through|thru|is|it'?s)[ \t]+the[ \t]+(?P<v>(?:0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th))\b",
            check_ordinal_day,
        ),
    ]
}

/// Words that, right before a number, say it is a date: "since 7/22", "admitted 8/20", "7pm
/// 10/15". They outweigh any measurement cue nearby ("HCT 30 post 3/3").
const DATE_WORDS: &[&str] = &[
    "since",
    "until",
    "till",
    "thru",
    "through",
    "dated",
    "date",
    "dos",
    "dob",
    "born",
    "admitted",
    "admit",
    "adm",
    "readmitted",
    "seen",
    "last",
    "next",
    "before",
    "after",
    "due",
    "started",
    "starting",
    "scheduled",
    "discharged",
    "transferred",
    "during",
    "early",
    "mid",
    "late",
    "effective",
    "expired",
    "died",
    "returned",
    "post",
    "pre",
    "am",
    "pm",
    // Events that are dated: "extubate 3/11", "reintubation 7/24", "(placed 8/14)".
    "intubated",
    "intubation",
    "reintubated",
    "reintubation",
    "extubate",
    "extubated",
    "extubation",
    "placed",
    "inserted",
    "removed",
];

/// Prepositions that often introduce a date ("on 7/22", "from 3/4") but also a setting ("placed
/// on 5/5", "weaned to 8/5"): they outweigh a measurement cue right before the number, not a
/// ventilator cue a few words back.
const DATE_PREPOSITIONS: &[&str] = &["on", "to", "from", "of", "in", "by", "as"];

/// Words that, right before a bare month name, say it is the month: "in July", "since Oct".
/// Narrower than [`DATE_WORDS`]: "to June" and "from Jan" are as likely to be people.
const MONTH_WORDS: &[&str] = &[
    "in", "since", "during", "until", "till", "through", "thru", "early", "mid", "late", "last",
    "next", "this", "before", "after", "around",
];

/// Words right after a number that make it a quantity, score or fraction, not a date:
/// "1/2 tab", "2/3 of the time", "1/2 NS", "2/6 SEM", "4/5 RUE", "7/10 pain".
const QUANTITY_WORDS: &[&str] = &[
    "mg",
    "mcg",
    "g",
    "gm",
    "gms",
    "gram",
    "grams",
    "kg",
    "lb",
    "lbs",
    "oz",
    "ml",
    "cc",
    "l",
    "liter",
    "liters",
    "dl",
    "mmhg",
    "mm",
    "cm",
    "inch",
    "inches",
    "tab",
    "tabs",
    "tablet",
    "tablets",
    "cap",
    "caps",
    "capsule",
    "capsules",
    "pill",
    "pills",
    "unit",
    "units",
    "u",
    "meq",
    "mmol",
    "amp",
    "amps",
    "vial",
    "vials",
    "dose",
    "doses",
    "puff",
    "puffs",
    "gtt",
    "gtts",
    "drop",
    "drops",
    "ns",
    "nss",
    "str",
    "strength",
    "of",
    "way",
    "cup",
    "cups",
    "glass",
    "can",
    "cans",
    "tsp",
    "tbsp",
    "bottle",
    "hr",
    "hrs",
    "hour",
    "hours",
    "h",
    "min",
    "mins",
    "minute",
    "minutes",
    "sec",
    "day",
    "days",
    "wk",
    "wks",
    "week",
    "weeks",
    "mo",
    "mos",
    "month",
    "months",
    "yr",
    "yrs",
    "year",
    "years",
    "time",
    "times",
    "x",
    "beats",
    "breaths",
    "bpm",
    "sem",
    "hsm",
    "murmur",
    "systolic",
    "diastolic",
    "holosystolic",
    "ratio",
    "pain",
    "rue",
    "lue",
    "rle",
    "lle",
    "bue",
    "ble",
    "ue",
    "le",
    "ues",
    "les",
    "extremity",
    "extremities",
    "grip",
    "grips",
    "bilat",
    "bilateral",
    "bilaterally",
    "throughout",
    "pulse",
    "pulses",
    "score",
    "scale",
    "dilution",
    "normal",
    "saline",
    "percent",
    "pct",
    "point",
    "points",
    "full",
    "up",
    "rate",
    "gallon",
    "gallons",
    "bottles",
    "sets",
    "peep",
    "ps",
    "cpap",
    "psv",
    "bipap",
    "fio",
    "abg",
    "maintenance",
];

/// Time words after a year-shaped number: "March 4 2100 hrs" is a time, not the year 2100.
const TIME_WORDS: &[&str] = &["h", "hr", "hrs", "hours", "am", "pm"];

/// The named word lists of this file, as bits of a [`Lists`] set.
mod list {
    use crate::detect::terms::Lists;
    pub(super) const MEASURE: Lists = Lists(1 << 0);
    pub(super) const SCALE: Lists = Lists(1 << 1);
    pub(super) const VENT: Lists = Lists(1 << 2);
    pub(super) const VERSION: Lists = Lists(1 << 3);
    pub(super) const DATE: Lists = Lists(1 << 4);
    pub(super) const DATE_PREPOSITION: Lists = Lists(1 << 5);
    pub(super) const MONTH: Lists = Lists(1 << 6);
    pub(super) const QUANTITY: Lists = Lists(1 << 7);
    pub(super) const TIME: Lists = Lists(1 << 8);
    pub(super) const CHANGE_VERBS: Lists = Lists(1 << 9);
    pub(super) const REGION: Lists = Lists(1 << 10);
    pub(super) const AFTER_HYPHEN_DATE: Lists = Lists(1 << 11);
    pub(super) const RESULT: Lists = Lists(1 << 12);
    pub(super) const HISTORY: Lists = Lists(1 << 13);
    pub(super) const LENGTH: Lists = Lists(1 << 14);
    pub(super) const AFTER_YEAR: Lists = Lists(1 << 15);
    pub(super) const WEEKDAY: Lists = Lists(1 << 16);
    pub(super) const WEEKDAY_SHORT: Lists = Lists(1 << 17);
    pub(super) const WEEKDAY_SHORT_PUNCT: Lists = Lists(1 << 18);
}

/// Every named word list of this file in one hash table: [`on`] answers for any of them with
/// one probe.
static TERMS: TermTable = TermTable::new(NAMED_LISTS);

/// Every named word list of this file with its bit.
const NAMED_LISTS: &[(&[&str], Lists)] = &[
    (MEASURE_TERMS, list::MEASURE),
    (SCALE_TERMS, list::SCALE),
    (VENT_TERMS, list::VENT),
    (VERSION_TERMS, list::VERSION),
    (DATE_WORDS, list::DATE),
    (DATE_PREPOSITIONS, list::DATE_PREPOSITION),
    (MONTH_WORDS, list::MONTH),
    (QUANTITY_WORDS, list::QUANTITY),
    (TIME_WORDS, list::TIME),
    (CHANGE_VERBS, list::CHANGE_VERBS),
    (REGION_WORDS, list::REGION),
    (AFTER_HYPHEN_DATE, list::AFTER_HYPHEN_DATE),
    (RESULT_WORDS, list::RESULT),
    (HISTORY_TERMS, list::HISTORY),
    (LENGTH_WORDS, list::LENGTH),
    (AFTER_YEAR, list::AFTER_YEAR),
    (&super::calendar::WEEKDAYS, list::WEEKDAY),
    (WEEKDAY_SHORT, list::WEEKDAY_SHORT),
    (WEEKDAY_SHORT_PUNCT, list::WEEKDAY_SHORT_PUNCT),
];

/// Weekday abbreviations that count before a date when written Title or UPPER case.
const WEEKDAY_SHORT: &[&str] = &["tue", "tues", "wed", "thu", "thur", "thurs", "fri"];

/// Weekday abbreviations that are also words or prefixes ("Sat" for saturation, "Mon" for
/// monitor): they count only with a comma or period after them.
const WEEKDAY_SHORT_PUNCT: &[&str] = &["mon", "sat", "sun"];

/// Whether `word` is on one of `lists` (ASCII case ignored).
fn on(word: &str, lists: Lists) -> bool {
    TERMS.lists(word).meets(lists)
}

/// Whether `word` is one of `list`, ignoring ASCII case, for the few short lists kept next to
/// their one use rather than in [`TERMS`]. `list` must be sorted and lowercase (wrap it in
/// [`sorted`]): a binary search.
fn is_one_of(word: &str, list: &[&str]) -> bool {
    debug_assert!(
        list.windows(2).all(|w| w[0] < w[1])
            && list
                .iter()
                .all(|w| !w.contains(|c: char| c.is_ascii_uppercase())),
        "term lists must be sorted, lowercase and without duplicates"
    );
    let mut buf = [0u8; 32];
    let Some(lower) = buf.get_mut(..word.len()) else {
        return false;
    };
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    let lower: &[u8] = lower;
    list.binary_search_by(|w| compare(w.as_bytes(), lower))
        .is_ok()
}

/// Byte-wise comparison of short words, inlined: `<[u8]>::cmp` calls `memcmp`, whose call
/// cost more than the comparison of a few bytes.
#[inline]
fn compare(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

/// `list` sorted at compile time, so lists can stay grouped by meaning in the source.
const fn sorted<const N: usize>(mut list: [&'static str; N]) -> [&'static str; N] {
    let mut i = 1;
    while i < N {
        let mut j = i;
        while j > 0 && less(list[j], list[j - 1]) {
            let t = list[j];
            list[j] = list[j - 1];
            list[j - 1] = t;
            j -= 1;
        }
        i += 1;
    }
    list
}

/// Byte-wise `a < b`, usable in a const context.
const fn less(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() < b.len()
}

/// The word right before `pos` (with only spaces and light punctuation between), if it is one of
/// `lists`. "on 7/22", "Date: 7/22" and "(since 7/22" all count.
fn preceded_by(ctx: &Context<'_>, pos: usize, lists: Lists) -> bool {
    ctx.word_just_before(pos, 4, b":,(-")
        .is_some_and(|w| on(w, lists))
}

/// The word right after `end` (only spaces between), if it is on one of `lists`.
fn followed_by(ctx: &Context<'_>, end: usize, lists: Lists) -> bool {
    ctx.word_just_after(end, 3, b"")
        .is_some_and(|w| on(w, lists))
}

/// A unit or count word right after a date written with a month name ("Aug 2 tabs", "Mar 4,
/// 10 mg"). "of" is left out: "March 4 of last year" is a date.
fn unit_after(ctx: &Context<'_>, end: usize) -> bool {
    ctx.word_just_after(end, 3, b"")
        .is_some_and(|w| !w.eq_ignore_ascii_case("of") && on(w, list::QUANTITY))
}

fn byte(ctx: &Context<'_>, i: usize) -> Option<u8> {
    ctx.text().as_bytes().get(i).copied()
}

fn byte_before(ctx: &Context<'_>, pos: usize, back: usize) -> Option<u8> {
    pos.checked_sub(back).and_then(|i| byte(ctx, i))
}

fn is_digit(b: Option<u8>) -> bool {
    b.is_some_and(|b| b.is_ascii_digit())
}

/// Whether the number at `span` is glued to more numbers, making it part of something longer:
/// "GCS 3/4/5", "2.3/4", "7/22-23", "10:3/4", "120/12/10", "600x12x.4/5". A `/` on either side
/// (or a space and then `/` before) always counts; `.`, `-`, `:` and `+` count when a digit is
/// on their far side, and `:` also when a letter is ("7/2001:db8::1" is an IPv6 address). With `loose`, a `-` between digits is allowed on either side (a range
/// between two full dates: "12/25/2020-1/2/2021"). A match that starts with a letter ("Feb 2" in
/// "Jan 31-Feb 2") is never glued on its left.
fn glued(ctx: &Context<'_>, span: Span, loose: bool) -> bool {
    let before = byte_before(ctx, span.start, 1);
    let after = byte(ctx, span.end);
    if after == Some(b'/') {
        return true;
    }
    let after_digit = is_digit(byte(ctx, span.end + 1));
    let glued_after = match after {
        Some(b':') => byte(ctx, span.end + 1).is_some_and(|b| b.is_ascii_alphanumeric()),
        Some(b'.' | b'+') => after_digit,
        Some(b'-') => after_digit && !loose,
        _ => false,
    };
    if glued_after || !is_digit(byte(ctx, span.start)) {
        return glued_after;
    }
    if before == Some(b'/') {
        return true;
    }
    // "AC 500/50 / 5/10": a slash a space away still joins the numbers.
    if before == Some(b' ')
        && ctx
            .before(span.start, 3)
            .trim_end_matches(' ')
            .ends_with('/')
    {
        return true;
    }
    // "600x12x.4/5": ventilator volume x rate x pressures.
    if before == Some(b'.') && matches!(byte_before(ctx, span.start, 2), Some(b'x' | b'X')) {
        return true;
    }
    let digit_before = is_digit(byte_before(ctx, span.start, 2));
    match before {
        Some(b'.' | b':' | b'+') => digit_before,
        Some(b'-') => digit_before && !loose,
        _ => false,
    }
}

/// How strongly the word right before `pos` marks a date: 2 for a date word ("since"), 1 for a
/// preposition ("on"), 0 otherwise.
fn date_word(ctx: &Context<'_>, pos: usize) -> u8 {
    let Some(word) = ctx.word_just_before(pos, 4, b":,(-") else {
        return 0;
    };
    let lists = TERMS.lists(word);
    if lists.meets(list::DATE) {
        2
    } else if lists.meets(list::DATE_PREPOSITION) {
        1
    } else {
        0
    }
}

/// Whether `term` is on one of `lists`, whole or by one of its `/` or `&` parts ("SIMV/PS" is a
/// ventilator mode because "PS" is).
fn term_in(term: &str, lists: Lists) -> bool {
    term_lists(term).meets(lists)
}

/// The lists `term` is on, whole or by one of its `/` or `&` parts.
fn term_lists(term: &str) -> Lists {
    let whole = TERMS.lists(term);
    if !term.bytes().any(is_joiner) {
        return whole;
    }
    term.split(['/', '&'])
        .fold(whole, |lists, part| lists.or(TERMS.lists(part)))
}

fn is_term_byte(b: u8) -> bool {
    b.is_ascii_alphabetic() || is_joiner(b)
}

/// The bytes that join the parts of a term ("BUN/Cr", "I&O").
fn is_joiner(b: u8) -> bool {
    b == b'/' || b == b'&'
}

/// `start..end` without the joiners at either end ("/PS" is "PS"). Byte by byte: `trim_matches`
/// with a char set cost more than the term lookup itself.
fn trim_joiners(bytes: &[u8], mut start: usize, mut end: usize) -> std::ops::Range<usize> {
    while start < end && bytes.get(start).copied().is_some_and(is_joiner) {
        start += 1;
    }
    while end > start && bytes.get(end - 1).copied().is_some_and(is_joiner) {
        end -= 1;
    }
    start..end
}

/// Whether the text between `from` and `to` ends a clause: a line break, `;`, `!`, `?` or a
/// sentence-ending `.` (one followed by a space; "27.9" is a decimal, not a break).
fn clause_break(ctx: &Context<'_>, from: usize, to: usize) -> bool {
    let Some(gap) = ctx.text().as_bytes().get(from..to) else {
        return true;
    };
    gap.iter().enumerate().any(|(i, &b)| match b {
        b'\n' | b';' | b'!' | b'?' => true,
        b'.' => gap.get(i + 1).map_or(true, u8::is_ascii_whitespace),
        _ => false,
    })
}

/// Whether a term on one of `lists` (a run of letters, `/` and `&`: "BP", "BUN/Cr", "I/O") ends at
/// most `window` bytes before `pos`, in the same clause. "BP 120/80" and "pain score of 7/10"
/// have their cue in the clause; in "BP stable. 3/4 echo" it belongs to the previous sentence.
fn term_before(ctx: &Context<'_>, pos: usize, window: usize, lists: Lists) -> bool {
    let mut found = false;
    terms_before(ctx, pos, window, |term, _| {
        found = term_in(term, lists);
        !found
    });
    found
}

/// Calls `f` with each term (a run of letters, `/` and `&`, outer `/` and `&` trimmed) that ends
/// at most `window` bytes before `pos` in the same clause, nearest first, with the byte where it
/// ends; stops when `f` returns `false`. The clause is checked only over the bytes between
/// consecutive terms: once a break lies between a term and `pos`, it lies between every earlier
/// term and `pos` too.
fn terms_before<'t>(
    ctx: &Context<'t>,
    pos: usize,
    window: usize,
    mut f: impl FnMut(&'t str, usize) -> bool,
) {
    let text = ctx.text();
    let bytes = text.as_bytes();
    let lo = pos.saturating_sub(window);
    let mut end = pos.min(bytes.len());
    // Where the bytes already checked for a clause break begin.
    let mut checked = end;
    loop {
        while end > lo && bytes.get(end - 1).is_some_and(|&b| !is_term_byte(b)) {
            end -= 1;
        }
        if end <= lo || clause_break(ctx, end, checked) {
            return;
        }
        checked = end;
        let mut start = end;
        while start > 0 && bytes.get(start - 1).is_some_and(|&b| is_term_byte(b)) {
            start -= 1;
        }
        let term = text
            .get(trim_joiners(bytes, start, end))
            .unwrap_or_default();
        if !f(term, end) {
            return;
        }
        end = start;
    }
}

/// Whether a term on one of `lists` starts at most `window` bytes after `pos`, in the same clause:
/// "5/5 PSV", "7/10 chest pain".
fn term_after(ctx: &Context<'_>, pos: usize, window: usize, lists: Lists) -> bool {
    let bytes = ctx.text().as_bytes();
    let hi = (pos + window).min(bytes.len());
    let mut start = pos.min(bytes.len());
    loop {
        while start < hi && !is_term_byte(bytes[start]) {
            start += 1;
        }
        if start >= hi || clause_break(ctx, pos, start) {
            return false;
        }
        let mut end = start;
        while end < bytes.len() && is_term_byte(bytes[end]) {
            end += 1;
        }
        let term = ctx
            .text()
            .get(trim_joiners(bytes, start, end))
            .unwrap_or_default();
        if term_in(term, lists) {
            return true;
        }
        start = end;
    }
}

/// Whether the numbers at `span` read as a measurement, a setting or a score rather than a date:
///
/// - a measurement or scale term within 12 bytes before, in the same clause ("BP 120/80",
///   "pain score 7/10", "Strength: RUE 4/5"), unless any date word or preposition is right
///   before the number ("INR check on 3/4") or a clock time right after it ("last CO/CI
///   (10/17 0500)": values are stamped with the day and hour they were taken);
/// - a ventilator term within 40 bytes before ("SIMV/PS, 50%, 550x6, & 8/10", "weaning trial on
///   5/5") or right after ("5/5 PSV", "10/5 BiPAP"), unless a date word is right before
///   ("wean and extubate 6/17");
/// - for pain and strength scores ("6/10", "4/5"), a scale term within 40 bytes before or 30
///   after in the same clause ("c/o 5/10 incisional pain"), unless a date word is right before.
///   A scale term after the number counts only up to the next number that is not itself a score:
///   in "10/10 2 wk hx of chest pressure" the pressure is what the two weeks describe.
///
/// `fraction` is the pair as written (numerator, denominator), or 0 where unknown. A score never
/// exceeds its scale, so a scale term alone does not make "c/o CP 3/2" a score; a measurement
/// term still does ("BP 12/8").
fn measured(ctx: &Context<'_>, span: Span, fraction: (u32, u32)) -> bool {
    let (numerator, denominator) = fraction;
    let word = date_word(ctx, span.start).max(u8::from(time_after(ctx, span.end)));
    if word == 2 {
        return false;
    }
    let over_scale = numerator > denominator && denominator > 0;
    let score = matches!(denominator, 5 | 10) && !over_scale;
    // One walk back over the terms, nearest first, that stops at the first one deciding the
    // answer (each of the rules above makes the pair a measurement).
    let near_lists = if over_scale {
        list::MEASURE
    } else {
        list::MEASURE.or(list::SCALE)
    };
    let far_lists = if score {
        list::VENT.or(list::SCALE)
    } else {
        list::VENT
    };
    let near_end = span.start.saturating_sub(12);
    let mut found = false;
    terms_before(ctx, span.start, 40, |term, end| {
        let lists = term_lists(term);
        found = lists.meets(far_lists) || (word == 0 && end > near_end && lists.meets(near_lists));
        !found
    });
    found
        || term_after(ctx, span.end, 3, list::VENT)
        || (score && term_after(ctx, span.end, own_reach(ctx, span.end, 30), list::SCALE))
}

/// How many bytes after `end` (at most `max`) still describe the number that ends there: up to
/// the next number that is not itself a score. "10/10 2 wk hx of chest pain": "pain" belongs to
/// "2 wk"; "5/10 to 3/10 pain": it reaches over "3/10" to "pain".
fn own_reach(ctx: &Context<'_>, end: usize, max: usize) -> usize {
    let rest = ctx.after(end, max).as_bytes();
    let mut i = 0;
    while i < rest.len() {
        if !rest[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < rest.len() && rest[j].is_ascii_digit() {
            j += 1;
        }
        if rest.get(j) != Some(&b'/') {
            return i;
        }
        j += 1;
        while j < rest.len() && rest[j].is_ascii_digit() {
            j += 1;
        }
        i = j;
    }
    rest.len()
}

/// Whether a clock time follows the number: "10/17 0500", "3/4 14:30", "(7/22 2200)". Four
/// digits must be a valid 24-hour time (0000-2359), so "3/4 1200 mL" still needs its unit check.
fn time_after(ctx: &Context<'_>, end: usize) -> bool {
    let rest = ctx.after(end, 8);
    let Some(rest) = rest.strip_prefix(' ') else {
        return false;
    };
    let b = rest.as_bytes();
    let clock = |h: &[u8], m: &[u8]| {
        let n = |d: &[u8]| d.iter().fold(0u32, |a, &x| a * 10 + u32::from(x - b'0'));
        n(h) < 24 && n(m) < 60
    };
    match b {
        [h1, h2, b':', m1, m2, ..] if [*h1, *h2, *m1, *m2].iter().all(u8::is_ascii_digit) => {
            !is_digit(b.get(5).copied()) && clock(&b[..2], &b[3..5])
        }
        [h1, h2, m1, m2, ..] if [*h1, *h2, *m1, *m2].iter().all(u8::is_ascii_digit) => {
            !b.get(4).is_some_and(|x| x.is_ascii_alphanumeric())
                && clock(&b[..2], &b[2..4])
                && !unit_after(ctx, end + 5)
        }
        _ => false,
    }
}

/// Verbs that, before "to", say the number is a new setting: "changed over to 5/5", "weaned
/// to 10/5", "will change over to 5/5 at 0600".
const CHANGE_VERBS: &[&str] = &[
    "change",
    "changed",
    "changing",
    "switch",
    "switched",
    "wean",
    "weaned",
    "weaning",
    "increase",
    "increased",
    "decrease",
    "decreased",
    "titrate",
    "titrated",
    "adjust",
    "adjusted",
    "turned",
    "lowered",
    "raised",
    "dropped",
];

/// Whether the number is the target of a change: "to" right before it and a change verb within
/// the two words before that ("changed over to 5/5", "weaned down to 8/5").
fn setting_change(ctx: &Context<'_>, start: usize) -> bool {
    let mut words = ctx.words_before(start, 3);
    if !ctx
        .word_just_before(start, 3, b"")
        .is_some_and(|w| w.eq_ignore_ascii_case("to"))
    {
        return false;
    }
    words.next();
    words.any(|w| on(w, list::CHANGE_VERBS))
}

/// Lung regions and sides after a fraction: "crackles 1/3 RT>LEFT", "2/3 bases".
const REGION_WORDS: &[&str] = &[
    "rt",
    "lt",
    "r",
    "right",
    "left",
    "bilat",
    "bilateral",
    "bilaterally",
    "base",
    "bases",
    "lobe",
    "lobes",
    "field",
    "fields",
    "lung",
    "lungs",
];

/// Whether a proper fraction with a small denominator (1/2, 1/3, 2/3, 3/4) is followed by a side
/// or a lung region: "CX 1/3 RT>LEFT" is how far up the crackles are heard.
fn fraction_of_region(ctx: &Context<'_>, end: usize, m: u32, d: u32) -> bool {
    m < d && d <= 4 && followed_by(ctx, end, list::REGION)
}

/// Days in a month; February has 29 when the year is unknown or a leap year.
fn days_in_month(month: u32, year: Option<u32>) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y) if y >= 100 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 28,
            _ => 29,
        },
        _ => 31,
    }
}

fn valid(month: u32, day: u32, year: Option<u32>) -> bool {
    (1..=12).contains(&month) && day >= 1 && day <= days_in_month(month, year)
}

/// Extends a date span back over a weekday in front of it: "Tuesday, March 4", "Tue 3/4",
/// "SAT, 3/4". Full weekday names count in any case and any separator; abbreviations must be
/// Title or UPPER case, and "Sat", "Sun" and "Mon" (saturation, sunlight, monitor) need a comma or
/// period after them.
fn with_weekday(ctx: &Context<'_>, span: Span) -> Span {
    let bytes = ctx.text().as_bytes();
    // The separator: up to three spaces, commas or periods, the last of them a space.
    if span.start == 0 || bytes.get(span.start - 1) != Some(&b' ') {
        return span;
    }
    let mut end = span.start;
    let mut punct = false;
    while end > 0 && span.start - end < 3 {
        match bytes.get(end - 1) {
            Some(b' ') => end -= 1,
            Some(b',' | b'.') => {
                punct = true;
                end -= 1;
            }
            _ => break,
        }
    }
    let mut start = end;
    while start > 0 && end - start < 10 && bytes[start - 1].is_ascii_alphabetic() {
        start -= 1;
    }
    if start == end || (start > 0 && bytes[start - 1].is_ascii_alphanumeric()) {
        return span;
    }
    let word = &ctx.text()[start..end];
    let lists = TERMS.lists(word);
    let title_or_upper = || {
        word.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
            && (word.bytes().skip(1).all(|b| b.is_ascii_lowercase())
                || word.bytes().all(|b| b.is_ascii_uppercase()))
    };
    let short =
        lists.meets(list::WEEKDAY_SHORT) || (punct && lists.meets(list::WEEKDAY_SHORT_PUNCT));
    let ok = lists.meets(list::WEEKDAY) || (short && title_or_upper());
    if ok {
        Span::new(start, span.end)
    } else {
        span
    }
}

/// The parts of a date written with a month name.
#[derive(Debug, Default, PartialEq)]
struct NamedDate {
    month: u32,
    day: Option<u32>,
    /// The end of a day range ("March 4-6").
    day2: Option<u32>,
    year: Option<u32>,
    /// Byte offset (within the match) where the text before the year ends, for trimming a
    /// "year" that turns out to be a quantity or a time.
    before_year: usize,
    ordinal: bool,
    /// The month word as written.
    month_text: (usize, usize),
}

/// The month number of a month name or abbreviation (any case).
fn month_number(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    let n = match w.as_str() {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sept" | "sep" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    };
    Some(n)
}

/// Reads a date written with a month name, as matched by one of the month-name patterns.
///
/// The text is split into runs of letters and runs of digits. A run of four digits is the year.
/// A shorter number is the day, unless it follows the month after `-`, `/`, `,` or `'` ("Mar-21",
/// "21 Apr, 21") or follows the day after `,` or `'` ("Mar 4, 21"): then it is a two-digit year.
/// A number after the day and `-` or "to" is the end of a range.
fn parse_named(s: &str) -> Option<NamedDate> {
    #[derive(Clone, Copy, PartialEq)]
    enum Prev {
        None,
        Month,
        Day,
        Other,
    }
    let bytes = s.as_bytes();
    let mut out = NamedDate::default();
    let mut prev = Prev::None;
    let mut sep_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphabetic() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            let word = &s[start..i];
            let glued_to_number = start > 0 && bytes[start - 1].is_ascii_digit();
            if glued_to_number && prev == Prev::Day {
                out.ordinal = true;
            } else if out.month == 0 {
                if let Some(m) = month_number(word) {
                    out.month = m;
                    out.month_text = (start, i);
                    prev = Prev::Month;
                }
            } else if !is_one_of(word, &["of", "through", "thru", "to"]) {
                prev = Prev::Other;
            }
            sep_start = i;
        } else if b.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let value: u32 = s[start..i].parse().ok()?;
            let sep = &s[sep_start..start];
            let sep_is = |set: &[u8]| sep.bytes().any(|c| set.contains(&c));
            let digits = i - start;
            if digits == 4 {
                out.year = Some(value);
                out.before_year = sep_start;
            } else if prev == Prev::Month && sep_is(b"-/,'") && out.day.is_none() {
                // "Mar-21", "Mar '21", "04-Mar-21", "21 Apr, 21".
                out.year = Some(value);
                out.before_year = sep_start;
            } else if prev == Prev::Month && out.day.is_some() {
                // "21 Apr, 21": the day came first.
                out.year = Some(value);
                out.before_year = sep_start;
            } else if out.day.is_none() {
                out.day = Some(value);
                prev = Prev::Day;
            } else if sep_is(b",'") {
                out.year = Some(value);
                out.before_year = sep_start;
            } else if out.day2.is_none() {
                out.day2 = Some(value);
            }
            sep_start = i;
        } else {
            i += 1;
        }
    }
    (out.month != 0).then_some(out)
}

/// Validates a date written with a month name, trims a trailing "year" that is really a
/// quantity or a time ("Mar 4, 10 mg", "March 4 2100 hrs"), and adds a weekday in front.
fn check_month_name(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let whole = hit.found.span;
    if glued(ctx, whole, true) {
        return None;
    }
    let text = ctx.slice(whole);
    let date = parse_named(text)?;
    let mut end = whole.end;
    let mut year = date.year;
    if year.is_some()
        && date.day.is_some()
        && (unit_after(ctx, whole.end) || followed_by(ctx, whole.end, list::TIME))
    {
        end = whole.start + date.before_year;
        year = None;
    }
    if let Some(day) = date.day {
        if !valid(date.month, day, year) {
            return None;
        }
        if let Some(d2) = date.day2 {
            if d2 <= day || !valid(date.month, d2, year) {
                return None;
            }
        }
    }
    // "may 2000 units": a year-shaped number with a unit after it is a quantity.
    if date.day.is_none() && unit_after(ctx, whole.end) {
        return None;
    }
    let (ms, me) = date.month_text;
    let month_word = text.get(ms..me)?;
    let span = Span::new(whole.start, end);
    if year.is_none() {
        // Without a year the date has to stand on its own: no unit after it ...
        if unit_after(ctx, end) {
            return None;
        }
        // ... and the ambiguous words need help, unless they are Title case ("May 4", "Dec 2"),
        // carry an ordinal ("may 4th") or follow a weekday or a date word ("on dec 2"). In
        // lower or upper case they are as often a verb ("pt may 2"), "decreased" ("DEC 2"),
        // Augmentin or the medication administration record (MAR).
        let ambiguous = is_one_of(month_word, &["aug", "dec", "mar", "may"]);
        let title = month_word
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_uppercase)
            && month_word.bytes().skip(1).all(|b| b.is_ascii_lowercase());
        let weekday = with_weekday(ctx, span) != span;
        if ambiguous && !title && !date.ordinal && !weekday && date_word(ctx, whole.start) == 0 {
            return None;
        }
    }
    Some(Finding {
        span: with_weekday(ctx, span),
        ..hit.found
    })
}

/// Accepts a month name alone where it cannot be a verb or a first name: see `date.month_alone`.
fn check_month_alone(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    let word = ctx.slice(span).trim_end_matches('.');
    let lower = word.to_ascii_lowercase();
    let free = matches!(
        lower.as_str(),
        "january" | "february" | "july" | "september" | "october" | "november" | "december"
    ) || (lower == "march" && word != "march");
    if !free && !preceded_by(ctx, span.start, list::MONTH) {
        return None;
    }
    Some(hit.found)
}

/// Accepts an ISO date whose month has the day ("2021-02-30" is rejected).
fn check_iso(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    if glued(ctx, span, true) {
        return None;
    }
    let mut parts = ctx.slice(span).split(['-', '/']).map(str::parse::<u32>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    valid(m, d, Some(y)).then(|| Finding {
        span: with_weekday(ctx, span),
        ..hit.found
    })
}

/// Splits "3/4/21", "3-4-2021", "31.12.2021" into three numbers, with the year's digit count.
fn three_numbers(s: &str) -> Option<(u32, u32, u32, usize)> {
    let mut parts = s.split(['/', '-', '.']);
    let a = parts.next()?.parse().ok()?;
    let b = parts.next()?.parse().ok()?;
    let y = parts.next()?;
    Some((a, b, y.parse().ok()?, y.len()))
}

/// Accepts a numeric date with a year when month/day (or, with a four-digit year, day/month) is
/// a real date, or a month with a day up to 31 right after a date word or preposition ("on
/// 2/31/14", a slip), and the numbers are not part of a longer run; a two-digit-year date also must not
/// read as a measurement ("PS 10/5/40%").
fn check_numeric(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    let text = ctx.slice(span);
    let hyphens = text.contains('-');
    // A hyphenated date with more hyphens around it is a code or a phone fragment; a version
    // number ("version 1.2.2021") is not a date.
    if glued(ctx, span, !hyphens) || term_before(ctx, span.start, 12, list::VERSION) {
        return None;
    }
    let (a, b, y, ylen) = three_numbers(text)?;
    let year = if ylen == 4 {
        if !(1800..=2199).contains(&y) {
            return None;
        }
        Some(y)
    } else {
        None
    };
    // A two-digit year only matters for February 29: 2000 + y has the same leap years as
    // 1900 + y except for 00, where the leap reading wins.
    let month_first = valid(a, b, year.or(Some(2000 + y)));
    let day_first = ylen == 4 && valid(b, a, year);
    // "on 2/31/14": a day the month does not have is a typing slip in a date that is still
    // there to identify; taken only right after a date word or preposition.
    let slip = (1..=12).contains(&a) && (1..=31).contains(&b) && date_word(ctx, span.start) > 0;
    if !(month_first || day_first || slip) {
        return None;
    }
    if ylen == 2 {
        // "PS 10/5/40" is a ventilator setting; "1-2-10 mg" a quantity.
        if measured(ctx, span, (a, b))
            || followed_by(ctx, span.end, list::QUANTITY)
            || matches!(byte(ctx, span.end), Some(b'%'))
        {
            return None;
        }
    }
    Some(Finding {
        span: with_weekday(ctx, span),
        ..hit.found
    })
}

/// Accepts "03/2021" when the month is 1-12 and the pair is not a measurement or a quantity.
fn check_numeric_month_year(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    if glued(ctx, span, false) || matches!(byte(ctx, span.end), Some(b'%')) {
        return None;
    }
    let (m, _) = ctx.slice(span).split_once('/')?;
    let m: u32 = m.parse().ok()?;
    if !(1..=12).contains(&m)
        || measured(ctx, span, (0, 0))
        || followed_by(ctx, span.end, list::QUANTITY)
    {
        return None;
    }
    Some(hit.found)
}

/// Reads "3/4" as (3, 4).
fn pair(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.trim().split_once('/')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// Accepts a bare month/day (or month/two-digit-year) only when it is a real date, is not glued
/// to more numbers, is not "2/2" (secondary to), does not follow "x" or a dextrose strength, is
/// not followed by a unit or a percentage, and does not read as a measurement (see
/// [`measured`]). A date word right before it raises the score from 0.6 to 0.8.
fn check_month_day_numeric(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    if glued(ctx, span, false) || matches!(byte(ctx, span.end), Some(b'%' | b'+' | b'\'')) {
        return None;
    }
    let text = ctx.slice(span);
    let (first, range_end) = match text.split_once('-') {
        Some((a, b)) => (pair(a)?, Some(pair(b)?)),
        None => (pair(text)?, None),
    };
    let (m, d) = first;
    let mut found = hit.found;
    if valid(m, d, None) {
        if let Some((m2, d2)) = range_end {
            // A range runs forward, or over New Year ("12/30-1/2"); "1/3-1/2" is a fraction range
            // ("crackles 1/3-1/2 up").
            let forward = (m2, d2) > (m, d) || (m == 12 && m2 == 1);
            if !valid(m2, d2, None) || !forward {
                return None;
            }
        }
    } else if range_end.is_none() && (1..=12).contains(&m) && (32..=99).contains(&d) {
        // "AVR 8/88": a month and a two-digit year that cannot be a day.
        found.detector = "date.month_year_numeric_short";
    } else {
        return None;
    }
    let word = date_word(ctx, span.start);
    // "2/2" is the usual shorthand for "secondary to": "resp failure 2/2 PNA".
    if (m, d) == (2, 2) && range_end.is_none() && word == 0 {
        return None;
    }
    // "PRBC x 2/3": a count of something.
    let fraction_word = ctx
        .word_just_before(span.start, 2, b"")
        .is_some_and(|w| w.eq_ignore_ascii_case("x"));
    if fraction_word
        || setting_change(ctx, span.start)
        || fraction_of_region(ctx, span.end, m, d)
        || measured(ctx, span, (m, d))
        || followed_by(ctx, span.end, list::QUANTITY)
        || fio2_after(ctx, span.end)
        || after_drug_strength(ctx, span.start)
    {
        return None;
    }
    if word > 0 {
        found.score = 0.8;
    }
    found.span = with_weekday(ctx, span);
    Some(found)
}

/// Reads "10/03/10/04" as two month/day pairs.
fn two_pairs(s: &str) -> Option<((u32, u32), (u32, u32))> {
    let mut n = s.split('/').map(str::parse::<u32>);
    let (Some(Ok(a)), Some(Ok(b)), Some(Ok(c)), Some(Ok(d))) =
        (n.next(), n.next(), n.next(), n.next())
    else {
        return None;
    };
    Some(((a, b), (c, d)))
}

/// Accepts two month/day dates written together ("10/03/10/04") when both are real, the second
/// is after the first by at most about a month, nothing longer is glued on, and no measurement,
/// score or unit surrounds them.
fn check_month_day_pair(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    if glued(ctx, span, false) || matches!(byte(ctx, span.end), Some(b'%' | b'+')) {
        return None;
    }
    let ((m1, d1), (m2, d2)) = two_pairs(ctx.slice(span))?;
    let close = (m1 == m2 && d2 > d1) || (m2 == m1 + 1 && d2 <= d1) || (m1 == 12 && m2 == 1);
    if !valid(m1, d1, None) || !valid(m2, d2, None) || !close {
        return None;
    }
    if measured(ctx, span, (m2, d2)) || followed_by(ctx, span.end, list::QUANTITY) {
        return None;
    }
    Some(hit.found)
}

/// Words after a hyphenated month-day that leave it a date: a new clause ("on 7-8 for coiling",
/// "since 3-12 when"), a time of day ("on 7-8 at 1400").
const AFTER_HYPHEN_DATE: &[&str] = &[
    "for", "at", "and", "with", "when", "where", "after", "before", "but", "pt", "patient", "he",
    "she", "am", "pm", "morning", "evening", "night",
];

/// Verbs and results that follow the date a specimen was taken: "blood cx from 3-4 grew GPC",
/// "sputum from 3-4 negative".
const RESULT_WORDS: &[&str] = &[
    "grew", "growing", "grows", "showed", "shows", "revealed", "positive", "negative", "pending",
];

/// Accepts "on 7-8" when the numbers are a real month and day, are not part of a longer number
/// ("on 7-8-9"), do not read as a measurement, and are followed by the end of the clause, a
/// clause word (see [`AFTER_HYPHEN_DATE`]) or a clock time, never by a unit or any other word.
/// After "from" only a test result may follow (see [`RESULT_WORDS`]): "from 3-5 units", "from
/// 2-3 to 4-5" and "from 1-2 and up" are ranges.
fn check_month_day_hyphen(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    if glued(ctx, span, false) || matches!(byte(ctx, span.end), Some(b'%' | b'+' | b'\'')) {
        return None;
    }
    let (m, d) = ctx.slice(span).split_once('-')?;
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    if !valid(m, d, None) || measured(ctx, span, (m, d)) {
        return None;
    }
    let after_from = ctx
        .word_just_before(span.start, 4, b"")
        .is_some_and(|w| w.eq_ignore_ascii_case("from"));
    if after_from {
        return followed_by(ctx, span.end, list::RESULT).then_some(hit.found);
    }
    let ok_after = match ctx.word_just_after(span.end, 3, b"") {
        Some(w) => on(w, list::AFTER_HYPHEN_DATE),
        None => {
            let rest = ctx.after(span.end, 3).trim_start_matches([' ', '\t']);
            time_after(ctx, span.end)
                || rest.is_empty()
                || rest.starts_with(['.', ',', ';', ')', '\n', '\r'])
        }
    };
    ok_after.then_some(hit.found)
}

/// Accepts "fx4/97" (a month and a two-digit year glued to a word) unless a unit, a percentage
/// or more numbers follow, or the word is a measurement ("bp4/50").
fn check_glued_month_year(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    if glued(ctx, span, false) || matches!(byte(ctx, span.end), Some(b'%' | b'+' | b'\'')) {
        return None;
    }
    // The digits must be glued to a word of 1 to 12 letters that stands on its own.
    let before = ctx.text().as_bytes().get(..span.start)?;
    let word_start = before
        .iter()
        .rposition(|b| !b.is_ascii_alphabetic())
        .map_or(0, |i| i + 1);
    let glued_to_word = (1..=12).contains(&(span.start - word_start))
        && (word_start == 0 || !before[word_start - 1].is_ascii_digit());
    if !glued_to_word {
        return None;
    }
    let word = ctx.slice(Span::new(word_start, span.start));
    if term_in(word, list::MEASURE.or(list::SCALE).or(list::VENT))
        || measured(ctx, Span::new(word_start, span.end), (0, 0))
        || followed_by(ctx, span.end, list::QUANTITY)
    {
        return None;
    }
    Some(hit.found)
}

/// Whether a percentage follows: "5/5, 40%" and "10/5 35%" are pressure support, PEEP and FiO2.
fn fio2_after(ctx: &Context<'_>, end: usize) -> bool {
    let rest = ctx.after(end, 12).trim_start_matches([',', ' ', '&', '@']);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    (1..=3).contains(&digits) && rest[digits..].trim_start().starts_with('%')
}

/// Whether the number follows a dextrose strength: "D5 1/2 NS", "D5W 1/2" (half normal saline).
fn after_drug_strength(ctx: &Context<'_>, start: usize) -> bool {
    let before = ctx.before(start, 8).trim_end_matches(' ');
    let before = before.strip_suffix(['w', 'W']).unwrap_or(before);
    let digits = before.bytes().rev().take_while(u8::is_ascii_digit).count();
    let head = &before.as_bytes()[..before.len() - digits];
    digits > 0
        && matches!(head.last(), Some(b'd' | b'D'))
        && !head
            .iter()
            .rev()
            .nth(1)
            .is_some_and(u8::is_ascii_alphanumeric)
}

/// Headings and abbreviations that open a medical or surgical history: "PMH:", "PMHx", "PSH",
/// "Hx", "h/o", "s/p", "Past medical history". Not "past" alone: "over the past 2 hrs".
const HISTORY_TERMS: &[&str] = &[
    "pmh", "pmhx", "psh", "pshx", "phx", "hx", "h/o", "history", "s/p",
];

/// Words before a number with an apostrophe after it that make it a length or an angle: "HOB
/// 30'", "ambulated 50'", "fall from 12'", "up 20'".
const LENGTH_WORDS: &[&str] = &[
    "hob",
    "head",
    "elevated",
    "raised",
    "up",
    "ambulated",
    "ambulating",
    "ambulates",
    "ambulate",
    "walked",
    "walking",
    "walks",
    "fell",
    "fall",
    "falls",
    "from",
    "off",
    "height",
    "feet",
    "ft",
    "approx",
    "approximately",
    "about",
    "at",
    "x",
];

/// Words that may follow a year in a history list: "repair in 98' c/b DVT", "MI 98' and CABG".
const AFTER_YEAR: &[&str] = &[
    "c",
    "and",
    "with",
    "w",
    "complicated",
    "then",
    "s",
    "at",
    "in",
    "for",
    "by",
    "x",
];

/// Whether a line of text (without its newline) holds a history term from [`HISTORY_TERMS`].
fn has_history_term(ctx: &Context<'_>, from: usize, to: usize) -> bool {
    let bytes = ctx.text().as_bytes();
    let mut i = from;
    while i < to {
        if !is_term_byte(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < to && is_term_byte(bytes[i]) {
            i += 1;
        }
        let term = ctx.text()[start..i].trim_matches(['/', '&']);
        if term_in(term, list::HISTORY) {
            return true;
        }
    }
    false
}

/// Whether `pos` is inside a medical history: a history term earlier on its line, or on one of
/// the six lines above it (within 400 bytes) with no blank line and no other heading ("NEURO:",
/// "Plan:") in between or at the start of its own line. A list under "PMH:" runs over several
/// lines, one item each.
fn in_history(ctx: &Context<'_>, pos: usize) -> bool {
    let bytes = ctx.text().as_bytes();
    let floor = pos.saturating_sub(400);
    let mut line_end = pos.min(bytes.len());
    for _ in 0..7 {
        let line_start = ctx.line_start_after(floor, line_end);
        if has_history_term(ctx, line_start, line_end) {
            return true;
        }
        // Bytes, not `str`: the 400-byte floor may fall inside a multi-byte character.
        let line = bytes.get(line_start..line_end).unwrap_or_default();
        let indent = line.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let blank = indent == line.len();
        let body = line.get(indent..).unwrap_or_default();
        let heading = body
            .iter()
            .take(24)
            .position(|&b| b == b':')
            .is_some_and(|i| {
                body.iter()
                    .take(i)
                    .all(|b| b.is_ascii_alphabetic() || matches!(b, b' ' | b'/' | b'&'))
            });
        if (blank && line_end < pos) || heading || line_start <= floor || line_start == 0 {
            return false;
        }
        line_end = line_start - 1;
    }
    false
}

/// Procedures and events that a medical history dates with a bare two-digit year: "09 PTCA",
/// "NQWMI 13.", "CVA 04". An alternation for the pattern of `date.history_year`.
const HISTORY_EVENTS: &str = "ptca|pci|cabg|stent|angioplasty|ablation|avr|mvr|cea|turp|appy|\
                              appendectomy|cholecystectomy|lami|nqwmi|imi|ami|mi|cva|tia";

/// Accepts `date.history_year`: the two digits, inside a medical history (see [`in_history`]),
/// not joined to a longer number or a decimal, not before a unit, and, after an event word,
/// ending a list item (a `.`, `,`, `;` or `)` or the end of the line after it): "MI 13 days
/// ago" is a count.
fn check_history_year(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let whole = hit.whole;
    let (digits, leading) = year_at_an_end(ctx, whole);
    if matches!(
        byte_before(ctx, digits.start, 1),
        Some(b'.' | b'/' | b'-' | b'\'' | b'#')
    ) || is_digit(byte_before(ctx, digits.start, 1))
    {
        return None;
    }
    if !leading {
        let after = byte(ctx, digits.end);
        let item_end = match after {
            None | Some(b'.' | b',' | b';' | b')' | b'\n' | b'\r') => true,
            Some(b' ' | b'\t') => ctx
                .after(digits.end, 8)
                .trim_start_matches([' ', '\t'])
                .starts_with(['\n', '\r']),
            _ => false,
        };
        if !item_end
            || (after == Some(b'.') && is_digit(byte(ctx, digits.end + 1)))
            || unit_after(ctx, digits.end)
        {
            return None;
        }
    }
    in_history(ctx, digits.start).then_some(Finding {
        span: digits,
        ..hit.found
    })
}

/// The two-digit year of a match that has it at one end, and whether it comes first: "09 PTCA"
/// and "71'" start with it, "NQWMI 13" and "'03" end with it.
fn year_at_an_end(ctx: &Context<'_>, span: Span) -> (Span, bool) {
    let first = ctx
        .slice(span)
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_digit);
    let year = if first {
        Span::new(span.start, span.start + 2)
    } else {
        Span::new(span.end - 2, span.end)
    };
    (year, first)
}

/// Accepts a two-digit year with an apostrophe (see `date.apostrophe_year`).
///
/// Before the digits ("'98"): rejected after a digit ("5'10" is feet and inches), before a
/// closing quote, another apostrophe or a `"` ("'10'" is a quoted number), before `%`, `/`, `:`
/// or a number joined by `-` or `.`, and before a unit ("'10 mg'").
///
/// After the digits ("98'"): also rejected when a letter follows ("90's" is a decade or a range
/// of values), after a range or a longer number ("10-15'", "1.5'"), after a length word ("HOB
/// 30'", see [`LENGTH_WORDS`]), when another word follows that does not continue a history
/// list (see [`AFTER_YEAR`]), and outside a medical history (see [`in_history`]).
fn check_apostrophe_year(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    let (digits, digits_first) = year_at_an_end(ctx, span);
    // The apostrophe leads ("'03"): the year needs nothing after it.
    let leading = !digits_first;
    let after = byte(ctx, span.end);
    if matches!(after, Some(b'\'' | b'"' | b'%' | b'/' | b':' | b'+'))
        || (matches!(after, Some(b'-' | b'.')) && is_digit(byte(ctx, span.end + 1)))
        || ctx.after(span.end, 3).starts_with('\u{2019}')
        || is_digit(byte_before(ctx, span.start, 1))
        || unit_after(ctx, span.end)
    {
        return None;
    }
    if leading {
        return Some(Finding {
            span: digits,
            ..hit.found
        });
    }
    if after.is_some_and(|b| b.is_ascii_alphanumeric())
        || matches!(
            byte_before(ctx, span.start, 1),
            Some(b'-' | b'.' | b'/' | b'~')
        )
        || preceded_by(ctx, span.start, list::LENGTH)
    {
        return None;
    }
    if let Some(w) = ctx.word_just_after(span.end, 3, b"") {
        if !on(w, list::AFTER_YEAR) {
            return None;
        }
    }
    in_history(ctx, span.start).then_some(Finding {
        span: digits,
        ..hit.found
    })
}

/// Accepts an ordinal day after a date word when its suffix agrees with the number ("2nd", not
/// "2th") and no noun follows it.
fn check_ordinal_day(ctx: &Context<'_>, hit: Hit) -> Option<Finding> {
    let span = hit.found.span;
    let text = ctx.slice(span);
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = text.get(digits.len()..)?.to_ascii_lowercase();
    let n: u32 = digits.parse().ok()?;
    let expected = match (n % 100, n % 10) {
        (11..=13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    };
    if suffix != expected {
        return None;
    }
    // "on the 4th floor", "by the 3rd day", "the 4th of March" (found by day_month instead).
    const OK_AFTER: &[&str] = &sorted([
        "at",
        "when",
        "and",
        "or",
        "but",
        "then",
        "in",
        "with",
        "for",
        "pt",
        "patient",
        "am",
        "pm",
        "morning",
        "evening",
        "night",
        "afternoon",
    ]);
    if let Some(w) = ctx.word_just_after(span.end, 3, b"") {
        if !is_one_of(w, OK_AFTER) {
            return None;
        }
    }
    if matches!(byte(ctx, span.end), Some(b'-' | b'/')) {
        return None;
    }
    Some(hit.found)
}

#[cfg(test)]
mod tests {

    #[test]
    fn term_lists_are_found_ignoring_case() {
        for &(words, lists) in NAMED_LISTS {
            for w in words {
                assert!(on(w, lists), "{w}");
                assert!(on(&w.to_ascii_uppercase(), lists), "{w}");
            }
        }
        assert!(!on("bpx", list::MEASURE));
        assert!(!on("bp", list::SCALE));
        assert!(!on(&"x".repeat(40), list::MEASURE));
        assert!(!on("", list::MEASURE));
        assert!(term_in("SIMV/PS", list::VENT));
        assert!(!term_in("SIMV/PS", list::SCALE));
    }
    use super::*;

    #[test]
    fn month_lengths() {
        assert!(valid(2, 29, None));
        assert!(valid(2, 29, Some(2020)));
        assert!(!valid(2, 29, Some(2021)));
        assert!(!valid(2, 29, Some(1900)));
        assert!(valid(2, 29, Some(2000)));
        assert!(!valid(2, 30, None));
        assert!(!valid(4, 31, None));
        assert!(valid(12, 31, None));
        assert!(!valid(13, 1, None));
        assert!(!valid(0, 12, None));
        assert!(!valid(1, 0, None));
    }

    #[test]
    fn named_dates_parse() {
        let d = parse_named("March 4-6").expect("parses");
        assert_eq!(
            (d.month, d.day, d.day2, d.year),
            (3, Some(4), Some(6), None)
        );
        let d = parse_named("21 Apr, 21").expect("parses");
        assert_eq!((d.month, d.day, d.year), (4, Some(21), Some(21)));
        let d = parse_named("04-Mar-2021").expect("parses");
        assert_eq!((d.month, d.day, d.year), (3, Some(4), Some(2021)));
        let d = parse_named("Mar-21").expect("parses");
        assert_eq!((d.month, d.day, d.year), (3, None, Some(21)));
        let d = parse_named("Mar 4, 21").expect("parses");
        assert_eq!(
            (d.month, d.day, d.year, d.before_year),
            (3, Some(4), Some(21), 5)
        );
        let d = parse_named("4th of July").expect("parses");
        assert_eq!((d.month, d.day, d.ordinal), (7, Some(4), true));
        assert_eq!(parse_named("4 tabs"), None);
    }

    #[test]
    fn odd_input_never_panics() {
        let s = super::super::Scanner::new().expect("compiles");
        for text in [
            "",
            "3/4",
            "\u{2019}3/4\u{2019}",
            "\u{e9}3/4\u{e9} Tuesday,",
            "Tuesday, \u{e9}March 4",
            "\u{fc}ber, March 4",
            "on the 1st",
            "New Year\u{2019}s",
            "Mar",
            "12/31/",
            "/12/31",
            "Mar 4,",
            "BP\n3/4",
            "\u{1F600} 7/22 \u{1F600}",
            "'",
            "'1",
            "12'",
            "\u{2019}12",
            "12\u{2019}",
            "'12'",
            "PMH\n12'",
            "\n\n12'",
        ] {
            for f in s.scan(text) {
                assert!(text.get(f.span.range()).is_some());
            }
        }
    }

    /// The history window's floor can fall inside a multi-byte character; the line checks
    /// must not slice the text there.
    #[test]
    fn history_window_respects_characters() {
        let s = super::super::Scanner::new().expect("compiles");
        for pad in 0..4 {
            let text = format!(
                "{}{}\u{e9}\u{e9} CVA 74'.",
                "x".repeat(pad),
                "\u{e9}".repeat(200)
            );
            for f in s.scan(&text) {
                assert!(text.get(f.span.range()).is_some());
            }
        }
        let found = |t: &str| s.scan(t).len();
        assert_eq!(found("PMH:\n CVA 74'.\n GOUT."), 1);
        assert_eq!(
            found("PMH:\n\n CVA 74'."),
            0,
            "a blank line ends the history"
        );
        assert_eq!(
            found("PMH: CAD\nPLAN: CVA 74'."),
            0,
            "another heading ends it"
        );
    }

    #[test]
    fn ordinal_suffixes_must_agree() {
        let s = super::super::Scanner::new().expect("compiles");
        let kinds = |t: &str| s.scan(t).len();
        assert_eq!(kinds("seen on the 2nd."), 1);
        assert_eq!(kinds("seen on the 2th."), 0);
        assert_eq!(kinds("seen on the 12th."), 1);
        assert_eq!(kinds("seen on the 12nd."), 0);
    }
}
