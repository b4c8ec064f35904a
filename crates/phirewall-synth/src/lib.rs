//! Deterministic synthetic ICU notes, for benchmarks, examples and smoke tests.
//!
//! Throughput depends on what the text looks like: how often a digit, a capital letter or a cue
//! word shows up decides how often the scanner leaves its fast path. Measuring on lorem ipsum
//! would flatter the engine, and real notes cannot be shipped. So this crate writes notes in the
//! shape of ICU nursing and progress notes: systems-by-systems prose, vitals (`BP 120/80`,
//! `HR 88`), labs (`K 3.9`, `INR 2.0`, `BUN/Cr 54/2.8`), drips and doses, times (`2130`), whole
//! notes in capitals or lower case, and identifiers at a realistic density (about one per 200 to
//! 400 bytes): dates, phone and fax numbers, MRNs, ages (some over 89), e-mail addresses, SSN-shaped
//! numbers, addresses with a ZIP after `, MA `, names and hospitals.
//!
//! Every identifier is made up. Phone numbers use the fictional `555-01xx` block, e-mail addresses
//! the reserved `example.org` / `example.net` domains, SSN-shaped numbers the never-issued `9xx`
//! area, and people, towns, streets and hospitals come from small lists invented for this crate.
//!
//! The same seed always gives the same text, on every platform and release of this crate that
//! does not change the templates: the generator is its own splitmix64 PRNG, not `rand`.
//!
//! ```
//! let a: Vec<String> = phirewall_synth::notes(7).take(3).collect();
//! let b: Vec<String> = phirewall_synth::notes(7).take(3).collect();
//! assert_eq!(a, b);
//!
//! let text = phirewall_synth::corpus(10_000, 7);
//! assert_eq!(text.len(), 10_000);
//! ```

/// Notes generated from `seed`, without end.
///
/// Each note is one record: a few lines of text with no blank line inside (so a corpus can be
/// split back into notes at blank lines) and no trailing newline.
pub fn notes(seed: u64) -> Notes {
    Notes {
        rng: Rng(seed),
        phi: 0,
    }
}

/// A corpus of exactly `bytes` bytes: notes from [`notes`]`(seed)` separated by blank lines.
///
/// The last note is cut short to hit the size (on a character boundary; should one fall inside a
/// multi-byte character, the corpus is a few bytes shorter).
pub fn corpus(bytes: usize, seed: u64) -> String {
    let mut out = String::with_capacity(bytes.saturating_add(4096));
    for note in notes(seed) {
        if out.len() >= bytes {
            break;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&note);
    }
    let mut end = bytes.min(out.len());
    while !out.is_char_boundary(end) {
        end -= 1;
    }
    out.truncate(end);
    out
}

/// The endless iterator of synthetic notes returned by [`notes`].
#[derive(Clone, Debug)]
pub struct Notes {
    rng: Rng,
    phi: usize,
}

impl Iterator for Notes {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        Some(self.note())
    }
}

impl Notes {
    /// How many identifier-shaped items the notes generated so far contain (an address counts as
    /// three: street, town and ZIP). Ages count only when over 89, as Safe Harbor counts them.
    ///
    /// This is what the generator put in, not what a detector should find: a benchmark can print
    /// it next to the number of findings as a sanity check.
    pub fn phi_count(&self) -> usize {
        self.phi
    }

    fn note(&mut self) -> String {
        let mut out = String::with_capacity(1024);
        match self.rng.below(20) {
            0..=14 => self.systems_note(&mut out),
            15..=16 => self.soap_note(&mut out),
            17..=18 => self.event_note(&mut out),
            _ => self.transfer_note(&mut out),
        }
        if self.rng.percent(15) {
            out.push('\n');
            let t = self.rng.pick(SIGNATURES);
            self.fill(t, &mut out);
        }
        // Nurses' notes are often typed in capitals, sometimes all in lower case.
        match self.rng.below(20) {
            0..=3 => out.make_ascii_uppercase(),
            4..=5 => out.make_ascii_lowercase(),
            _ => {}
        }
        out
    }

    /// A nursing note organised by body system, the most common note in an ICU.
    fn systems_note(&mut self, out: &mut String) {
        if self.rng.percent(55) {
            let t = self.rng.pick(HEADERS);
            self.fill(t, out);
            out.push('\n');
        }
        if self.rng.percent(8) {
            self.fill("MRN: {mrn}\n", out);
        }
        if self.rng.percent(65) {
            let t = self.rng.pick(INTROS);
            self.fill(t, out);
            if self.rng.percent(60) {
                out.push(' ');
                let n = 2 + self.rng.below(3) as usize;
                self.sentences(NARRATIVE, n, out);
            }
            out.push('\n');
        }
        let style = self.rng.below(4) as usize;
        for &(labels, percent, templates) in SYSTEMS {
            if !self.rng.percent(percent) {
                continue;
            }
            out.push_str(labels[style % labels.len()]);
            let n = 2 + self.rng.below(3) as usize;
            self.sentences(templates, n, out);
            out.push('\n');
        }
        trim_end(out);
    }

    /// Writes `n` different sentences from `templates`, separated by spaces.
    fn sentences(&mut self, templates: &[&str], n: usize, out: &mut String) {
        // A partial Fisher-Yates shuffle of the indices: no sentence twice in one paragraph.
        let mut order: Vec<usize> = (0..templates.len()).collect();
        for i in 0..n.min(order.len()) {
            let j = i + self.rng.below((order.len() - i) as u64) as usize;
            order.swap(i, j);
            if i > 0 {
                out.push(' ');
            }
            self.fill(templates[order[i]], out);
        }
    }

    /// A short "O: ... A: ... P: ..." note, typically about one problem.
    fn soap_note(&mut self, out: &mut String) {
        let t = self.rng.pick(SOAP_O);
        out.push_str("O: ");
        self.fill(t, out);
        let t = self.rng.pick(SOAP_O);
        out.push(' ');
        self.fill(t, out);
        out.push_str(" A: ");
        let t = self.rng.pick(SOAP_A);
        self.fill(t, out);
        out.push_str(" P: ");
        let t = self.rng.pick(SOAP_P);
        self.fill(t, out);
    }

    /// An event note: something happened at a given time and was dealt with.
    fn event_note(&mut self, out: &mut String) {
        let t = self.rng.pick(EVENTS);
        self.fill(t, out);
        out.push('\n');
        for _ in 0..1 + self.rng.below(2) {
            let t = self.rng.pick(PLAN);
            self.fill(t, out);
            out.push(' ');
        }
        trim_end(out);
    }

    /// A transfer or discharge note, where contact details and follow-up dates cluster.
    fn transfer_note(&mut self, out: &mut String) {
        let t = self.rng.pick(TRANSFERS);
        self.fill(t, out);
        out.push('\n');
        let t = self.rng.pick(SOCIAL);
        self.fill(t, out);
        out.push('\n');
        let t = self.rng.pick(PLAN);
        self.fill(t, out);
    }

    /// Copies `template` to `out`, replacing each `{key}` with a generated value.
    fn fill(&mut self, template: &str, out: &mut String) {
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    let key = &after[..close];
                    if !self.value(key, out) {
                        // Unknown keys are a template bug (a unit test checks there are none);
                        // keep them visible rather than panic.
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                    rest = &after[close + 1..];
                }
                None => {
                    out.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
    }

    /// Writes the value for one template key; `false` if the key is unknown.
    fn value(&mut self, key: &str, out: &mut String) -> bool {
        use std::fmt::Write;
        let r = &mut self.rng;
        // Writing to a String cannot fail, so the fmt::Result below is always Ok.
        let _ = match key {
            // Vitals.
            "hr" => write!(out, "{}", r.range(52, 128)),
            "hr_hi" => write!(out, "{}", r.range(11, 15) * 10),
            "bp" => {
                let systolic = r.range(86, 172);
                write!(out, "{systolic}/{}", r.range(40, (systolic - 20).min(96)))
            }
            "dbp" => write!(out, "{}", r.range(4, 7) * 10),
            "sbp" => write!(out, "{}", r.range(8, 16) * 10),
            "map" => write!(out, "{}", r.range(55, 95)),
            "rr" => write!(out, "{}", r.range(10, 32)),
            "spo2" => write!(out, "{}", r.range(88, 100)),
            "temp" => {
                if r.percent(6) {
                    write!(out, "{}\u{b0}C", tenths(r, 358, 394))
                } else {
                    write!(out, "{}", tenths(r, 964, 1032))
                }
            }
            "cvp" => write!(out, "{}", r.range(2, 22)),
            "uo" => write!(out, "{}", r.range(2, 15) * 10),
            "gcs" => write!(out, "{}", r.range(3, 15)),
            "rass" => write!(out, "{}", r.pick(&["0", "-1", "-2", "-3", "+1", "-4"])),
            "pain" => write!(out, "{}", r.range(0, 10)),
            "fio2" => write!(out, "{}%", r.range(24, 60)),
            "desat" => write!(out, "{}", r.range(78, 89)),
            "o2" => write!(out, "{}", r.pick(O2)),
            "wean_o2" => write!(out, "{}", r.pick(&O2[..4])),
            "vent" => write!(
                out,
                "{}",
                r.pick(&[
                    "CPAP 5/PS 10",
                    "AC 500x14/5/50%",
                    "PSV 12/5",
                    "SIMV 450x12 PEEP 8"
                ])
            ),
            "abg" => write!(
                out,
                "7.{}/{}/{}",
                r.range(18, 48),
                r.range(28, 68),
                r.range(55, 140)
            ),
            "weight" => write!(out, "{}", tenths(r, 450, 1300)),
            // Labs.
            "k" => write!(out, "{}", tenths(r, 29, 58)),
            "na" => write!(out, "{}", r.range(126, 149)),
            "mg" => write!(out, "{}", tenths(r, 13, 26)),
            "inr" => write!(out, "{}", tenths(r, 9, 45)),
            "ptt" => write!(out, "{}", tenths(r, 240, 1200)),
            "buncr" => write!(out, "{}/{}", r.range(8, 96), tenths(r, 6, 62)),
            "bun" => write!(out, "{}", r.range(8, 96)),
            "cr" => write!(out, "{}", tenths(r, 6, 62)),
            "hct" => write!(out, "{}", tenths(r, 210, 420)),
            "wbc" => write!(out, "{}", tenths(r, 21, 268)),
            "plt" => write!(out, "{}", r.range(38, 420)),
            "lactate" => write!(out, "{}", tenths(r, 8, 84)),
            "glucose" => write!(out, "{}", r.range(62, 348)),
            "trop" => write!(out, "0.{:02}", r.range(1, 99)),
            "ck" => write!(out, "{}", r.range(40, 1400)),
            "vanco" => write!(out, "{}", tenths(r, 62, 284)),
            // Medications and doses.
            "med" => write!(out, "{}", r.pick(MEDS)),
            "prn" => write!(out, "{}", r.pick(PRN)),
            "abx" => write!(out, "{}", r.pick(ABX)),
            "levo" => write!(out, "0.{:02}", r.range(2, 30)),
            "propofol" => write!(out, "{}", r.range(5, 50)),
            "heparin" => write!(out, "{}", r.range(6, 16) * 100),
            "kcl" => write!(out, "{}", r.pick(&["20", "40", "60"])),
            "lasix" => write!(out, "{}", r.pick(&["20", "40", "80", "100"])),
            "insulin" => write!(out, "{}", r.range(2, 12)),
            "n" => write!(out, "{}", r.range(1, 4)),
            "day" => write!(out, "{}", r.range(1, 14)),
            "gauge" => write!(out, "{}", r.pick(&["18", "20", "22"])),
            // Clinical words.
            "sex" => write!(out, "{}", r.pick(SEX)),
            "dx" => write!(out, "{}", r.pick(DX)),
            "pmh" => write!(out, "{}", r.pick(PMH)),
            "proc" => write!(out, "{}", r.pick(PROCS)),
            "rhythm" => write!(out, "{}", r.pick(RHYTHMS)),
            "ls" => write!(out, "{}", r.pick(LUNGS)),
            "relation" => write!(out, "{}", r.pick(RELATIONS)),
            "shift" => write!(out, "{}", r.pick(SHIFTS)),
            "unit" => write!(out, "{}", r.pick(UNITS)),
            // Numbers that look like identifiers but are not: times, years, beds, codes.
            "time" => {
                if r.percent(15) {
                    write!(out, "{}:{:02}", r.range(0, 23), r.range(0, 11) * 5)
                } else {
                    write!(out, "{:02}{:02}", r.range(0, 23), r.range(0, 3) * 15)
                }
            }
            "year" => write!(out, "{}", r.range(1978, 2019)),
            "bed" => write!(out, "{}", r.range(1, 24)),
            "icd" => write!(
                out,
                "{}",
                r.pick(&["I10", "E11.9", "J18.9", "N17.9", "I48.91"])
            ),
            // Identifiers.
            "date" => {
                self.phi += 1;
                date(r, out)
            }
            "phone" => {
                self.phi += 1;
                phone(r, out)
            }
            "fax" => {
                self.phi += 1;
                let label = r.pick(&["fax", "Fax:", "FAX #", "fax no."]);
                out.push_str(label);
                out.push(' ');
                phone(r, out)
            }
            "mrn" => {
                self.phi += 1;
                let digits = r.range(7, 8);
                let value = r.below(10u64.pow(digits));
                write!(out, "{value:0width$}", width = digits as usize)
            }
            "age" => {
                let over_89 = r.percent(30);
                if over_89 {
                    self.phi += 1;
                }
                age(r, over_89, out)
            }
            "old_age" => {
                self.phi += 1;
                age(r, true, out)
            }
            "email" => {
                self.phi += 1;
                // Addresses stay ASCII: "Inés" writes "ines".
                let first = r.pick(FIRST).replace(['é', 'ë'], "e");
                let first = first.to_ascii_lowercase();
                let last = r.pick(LAST).to_ascii_lowercase();
                let domain = r.pick(&["example.org", "example.org", "example.net"]);
                match r.below(3) {
                    0 => write!(out, "{first}.{last}@{domain}"),
                    1 => write!(out, "{}{last}@{domain}", &first[..1]),
                    _ => write!(out, "{last}{}@{domain}", r.range(1, 99)),
                }
            }
            "ssn" => {
                self.phi += 1;
                write!(
                    out,
                    "9{:02}-{:02}-{:04}",
                    r.range(0, 99),
                    r.range(1, 99),
                    r.range(1, 9999)
                )
            }
            "address" => {
                self.phi += 3;
                write!(
                    out,
                    "{} {} {}, {}, MA 0{}",
                    r.range(2, 480),
                    r.pick(STREETS),
                    r.pick(&["St", "Street", "Rd", "Ave", "Lane", "Dr"]),
                    r.pick(TOWNS),
                    r.range(1001, 2791)
                )
            }
            "town" => {
                self.phi += 1;
                write!(out, "{}", r.pick(TOWNS))
            }
            "hospital" => {
                self.phi += 1;
                write!(out, "{}", r.pick(HOSPITALS))
            }
            "name" => {
                self.phi += 1;
                write!(out, "{} {}", r.pick(FIRST), r.pick(LAST))
            }
            "first" => {
                self.phi += 1;
                write!(out, "{}", r.pick(FIRST))
            }
            "last" => {
                self.phi += 1;
                write!(out, "{}", r.pick(LAST))
            }
            "initial_last" => {
                self.phi += 1;
                let first = r.pick(FIRST);
                write!(out, "{}. {}", &first[..1], r.pick(LAST))
            }
            _ => return false,
        };
        true
    }
}

/// splitmix64 (Steele, Lea and Flood): tiny, fast, and good enough to pick words.
#[derive(Clone, Debug)]
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), by multiply-shift; the bias is far below what matters here.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(u64::from(hi - lo) + 1) as u32
    }

    /// True `p` times in a hundred.
    fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A number in `lo..=hi` tenths, written with one decimal: `tenths(r, 29, 58)` gives "2.9".."5.8".
fn tenths(r: &mut Rng, lo: u32, hi: u32) -> String {
    let v = r.range(lo, hi);
    format!("{}.{}", v / 10, v % 10)
}

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn date(r: &mut Rng, out: &mut String) -> std::fmt::Result {
    use std::fmt::Write;
    let m = r.range(1, 12);
    let d = r.range(1, 28);
    let y = r.range(2015, 2024);
    let month = MONTHS[(m - 1) as usize];
    match r.below(10) {
        0..=2 => write!(out, "{m}/{d}"),
        3 => write!(out, "{m:02}/{d:02}/{y}"),
        4 => write!(out, "{m}/{d}/{:02}", y % 100),
        5 => {
            let suffix = match d {
                1 | 21 => "st",
                2 | 22 => "nd",
                3 | 23 => "rd",
                _ => "th",
            };
            write!(out, "{month} {d}{suffix}")
        }
        6 => write!(out, "{month} {d}, {y}"),
        7 => write!(out, "{} {d}", &month[..3]),
        8 => write!(out, "{d}-{}", &month[..3]),
        _ => write!(out, "{y}-{m:02}-{d:02}"),
    }
}

fn phone(r: &mut Rng, out: &mut String) -> std::fmt::Result {
    use std::fmt::Write;
    let area = r.pick(&["617", "508", "781", "978", "413", "774", "857", "339"]);
    let line = r.range(100, 199);
    match r.below(6) {
        0 | 1 => write!(out, "({area}) 555-0{}", line % 100 + 100),
        2 | 3 => write!(out, "{area}-555-0{}", line % 100 + 100),
        4 => write!(out, "{area}.555.0{}", line % 100 + 100),
        _ => write!(out, "555-0{}", line % 100 + 100),
    }
}

fn age(r: &mut Rng, over_89: bool, out: &mut String) -> std::fmt::Result {
    use std::fmt::Write;
    let n = if over_89 {
        r.range(90, 104)
    } else {
        r.range(41, 89)
    };
    match r.below(12) {
        0..=3 => write!(out, "{n} yo"),
        4 | 5 => write!(out, "{n} y/o"),
        6 => write!(out, "{n}yo"),
        7 => write!(out, "{n} year old"),
        8 => write!(out, "{n}-year-old"),
        9 => write!(out, "{n} yr old"),
        10 => write!(out, "{n} YO"),
        _ if over_89 => write!(
            out,
            "ninety-{} year old",
            r.pick(&["one", "two", "four", "six"])
        ),
        _ => write!(out, "{n} yo"),
    }
}

fn trim_end(out: &mut String) {
    let len = out.trim_end().len();
    out.truncate(len);
}

// ---------------------------------------------------------------------------------------------
// Word lists. The people, towns, streets and hospitals below are INVENTED for this crate: they
// are combinations chosen to look plausible, not taken from any record or directory.

/// Invented first names (a few with non-ASCII letters, so offsets are exercised).
const FIRST: &[&str] = &[
    "Ellen", "Marta", "Tobias", "Renata", "Walden", "Corinne", "Aldo", "Priya", "Joaquin",
    "Hester", "Linnea", "Osric", "Delphine", "Baxter", "Imogen", "Teodor", "Maeve", "Rufus",
    "Sunniva", "Cyrus", "Inés", "Zoë",
];

/// Invented surnames.
const LAST: &[&str] = &[
    "Varrow",
    "Tellamy",
    "Quillby",
    "Dunmere",
    "Corvath",
    "Ambersley",
    "Brockhale",
    "Pendlam",
    "Garrowby",
    "Hollenby",
    "Ivesworth",
    "Kestrick",
    "Lanworth",
    "Marrable",
    "Nettleford",
    "Orsdale",
    "Pellgrave",
    "Ruddimore",
    "Stavely",
    "Thornquist",
    "Wexcombe",
    "Yarborne",
];

/// Invented towns.
const TOWNS: &[&str] = &[
    "Eastbrook",
    "Westmere",
    "Harrow Valley",
    "Pellham Falls",
    "Brackton",
    "Linden Cove",
    "North Ashby",
    "Quarry Hill",
];

/// Invented street names.
const STREETS: &[&str] = &[
    "Pell",
    "Hawthorn",
    "Mill Pond",
    "Orchard",
    "Tanner",
    "Larkspur",
    "Quarry",
    "Beacon Ridge",
];

/// Invented hospitals.
const HOSPITALS: &[&str] = &[
    "Harrow Valley Medical Center",
    "St. Aldric's Hospital",
    "Eastbrook Community Hospital",
    "Westmere General",
    "Brackton Memorial",
    "Linden Cove Hospital",
    "Quarry Hill Medical Center",
];

const SEX: &[&str] = &["M", "F", "man", "woman", "male", "female", "F", "M"];

const DX: &[&str] = &[
    "hypotension",
    "urosepsis",
    "CHF exacerbation",
    "upper GI bleed",
    "COPD flare",
    "NSTEMI",
    "DKA",
    "altered mental status",
    "RLL pneumonia",
    "afib with RVR",
    "acute renal failure",
    "gallstone pancreatitis",
    "SDH after a fall",
    "ETOH withdrawal",
    "hyperkalemia",
];

const PMH: &[&str] = &[
    "CAD, HTN, DM2",
    "COPD on home O2 2L",
    "ESRD on HD MWF",
    "afib on coumadin",
    "CHF with EF 25%",
    "ETOH cirrhosis",
    "CVA with residual L sided weakness",
    "PVD, NIDDM, CRI",
    "breast CA s/p XRT",
];

const PROCS: &[&str] = &["CABG", "MVR", "PTCA", "AVR", "PPM", "R TKR", "AAA repair"];

const RHYTHMS: &[&str] = &[
    "NSR",
    "SR",
    "ST",
    "afib",
    "AV paced",
    "SB",
    "NSR with occ PVCs",
];

const LUNGS: &[&str] = &[
    "clear",
    "coarse bilat",
    "crackles at bases",
    "diminished at bases",
    "exp wheezes",
    "rhonchi R>L",
];

/// Oxygen delivery, lowest support first (weaning picks from the first four).
const O2: &[&str] = &["RA", "2L NC", "4L NP", "40% FM", "50% cool neb", "100% NRB"];

/// Rate-control and other cardiac drugs, with doses.
const MEDS: &[&str] = &[
    "lopressor 25 mg PO",
    "lopressor 5mg IV",
    "dilt 10 mg IV",
    "dilt 20 mg IV",
    "digoxin 0.25 mg IV",
    "esmolol bolus 500 mcg/kg",
    "amio 150 mg IV",
];

const PRN: &[&str] = &[
    "morphine 2 mg IV",
    "dilaudid 0.5 mg IV",
    "percocet 1 tab",
    "tylenol 650 mg PR",
    "fentanyl 25 mcg",
];

const ABX: &[&str] = &[
    "vanco/zosyn",
    "cefepime",
    "levofloxacin 750 mg",
    "flagyl 500 mg IV q8h",
    "meropenem",
    "ceftriaxone 1 g",
];

const RELATIONS: &[&str] = &[
    "wife", "husband", "daughter", "son", "sister", "niece", "HCP", "friend",
];

const SHIFTS: &[&str] = &["0700-1900", "7a-7p", "1900-0700", "11p-7a", "7p-7a", "days"];

const UNITS: &[&str] = &["MICU", "CCU", "SICU", "CSRU", "TSICU"];

// ---------------------------------------------------------------------------------------------
// Templates. `{key}` is replaced by `Notes::value`.

const HEADERS: &[&str] = &[
    "NPN {shift}:",
    "Nursing Progress Note {shift}",
    "{unit} NURSING ADMISSION NOTE",
    "{unit} nsg note {shift}",
    "{unit} Nursing Progress Note, {date}",
    "Nursing note {date} {shift}",
    "Resp Care: pt remains on {o2}.",
];

const INTROS: &[&str] = &[
    "{age} {sex} admitted {date} from {hospital} with {dx}.",
    "Pt is a {age} {sex} w/ h/o {pmh} who presented to {hospital} ED on {date} with {dx}.",
    "{age} {sex} transferred from {hospital} for {dx}, s/p {proc} {year}.",
    "pt is {age} {sex} with PMH of {pmh}, admitted for {dx}. Followed by Dr. {last}.",
    "{age} {sex} w/ {pmh} admitted with {dx}. PMH also significant for MI {year}.",
    "Pt is a {age} {sex} from {town}, found down at home by {relation}, admitted with {dx}.",
    "{old_age} {sex} from {hospital} with {dx}, DNR/DNI per {relation}.",
    "Pt {age} {sex}, here since {date} with {dx}. See flowsheet for VS.",
    "Pt is a {age} {sex} w/ h/o {pmh} admitted with {dx}.",
    "{age} {sex} with {pmh}, s/p {proc} {year}, now HD day {day} for {dx}.",
    "Pt remains intubated and sedated, {dx} improving slowly.",
    "Please see admission note for full history. Briefly, {age} {sex} with {dx}.",
    "Uneventful night, pt slept in naps, no acute events.",
];

/// Body systems: labels in four styles ("NEURO:", "Neuro-", "neuro--", "N:"), how often the
/// system is written about (percent of notes), then its sentences.
const SYSTEMS: &[(&[&str], u64, &[&str])] = &[
    (
        &["NEURO: ", "Neuro- ", "neuro-- ", "N: "],
        75,
        &[
            "A&Ox3, MAE, follows commands.",
            "alert, oriented x{n}, pleasant and cooperative.",
            "sedated on propofol {propofol} mcg/kg/min, RASS {rass}.",
            "GCS {gcs}, PERRL 3mm brisk.",
            "c/o pain {pain}/10, medicated with {prn} with good effect.",
            "intermittently confused overnight, easily reoriented.",
            "no sz activity noted.",
            "CIWA {gcs}, ativan {n} mg IV given x{n}.",
            "lethargic but arousable to voice, moves all extremities.",
        ],
    ),
    (
        &["CV: ", "Cardiac- ", "cv-- ", "C: "],
        75,
        &[
            "HR {hr} {rhythm}, no ectopy.",
            "HR {hr}-{hr_hi}s {rhythm}, BP {bp}, MAP {map}.",
            "SBP {sbp}s on levophed {levo} mcg/kg/min.",
            "K {k} this am, repleted with KCl {kcl} mEq.",
            "Mg {mg}, given 2 gm IV.",
            "INR {inr}, PTT {ptt}.",
            "heparin gtt at {heparin} units/hr, next PTT due at {time}.",
            "CVP {cvp}, pedal pulses palpable.",
            "{med} given at {time} for HR {hr_hi}s.",
            "trop {trop}, CK {ck}.",
            "Hct {hct}, transfused {n} u PRBC, post Hct due at {time}.",
            "BP {bp} after {lasix} mg lasix.",
            "NBP {sbp}s/{dbp}s, A-line correlating.",
            "SBP > {sbp} off pressors since {time}.",
            "EKG unchanged, no ST changes, denies CP.",
            "lytes: Na {na}, K {k}, Mg {mg}, Ca 8.{n}.",
        ],
    ),
    (
        &["RESP: ", "Resp- ", "resp-- ", "R: "],
        75,
        &[
            "LS {ls}, on {o2}, SpO2 {spo2}%.",
            "RR {rr}, nonlabored, sats {spo2}% on {o2}.",
            "vent settings {vent}, ABG {abg}.",
            "suctioned q2-3h, mod amts of thick tan sputum.",
            "weaned to {wean_o2} at {time}, tolerating well.",
            "CXR this am with worsening R effusion.",
            "nebs q4h, albuterol/atrovent.",
            "RSBI {cvp}0 on SBT, plan extubate in am.",
            "strong nonproductive cough, IS to 750.",
            "FiO2 weaned to {fio2}, PEEP 5, sats {spo2}%.",
            "breath sounds diminished LLL, chest PT done.",
        ],
    ),
    (
        &["GI: ", "GI- ", "gi-- ", "GI: "],
        75,
        &[
            "abd soft, NT/ND, +BS.",
            "tolerating clears, appetite poor.",
            "TF at {uo} cc/hr via NGT, residuals <{n}0 cc.",
            "passing loose brown guaiac neg stool.",
            "lactulose 30 ml q6h, {n} BMs this shift.",
            "FS {glucose}, covered with {insulin} units RISS.",
            "NPO after midnight for EGD.",
            "protonix gtt at 8 mg/hr, no further melena.",
            "OGT to LCWS draining bilious fluid, {uo} cc this shift.",
            "colace and senna given, no BM x3 days.",
            "insulin gtt at {insulin} units/hr per protocol, FS q1h.",
        ],
    ),
    (
        &["GU: ", "Renal- ", "gu-- ", "GU: "],
        75,
        &[
            "foley draining clear yellow urine {uo} cc/hr.",
            "BUN/Cr {buncr}, trending down.",
            "lasix {lasix} mg IV at {time} with good response, net neg 1 L.",
            "I/O {uo}0/{uo}5 for the shift.",
            "voiding qs in urinal.",
            "CVVH running, removing {uo} cc/hr.",
            "BUN {bun}, CR {cr}, K {k}.",
            "UO marginal {uo} cc/hr, fluid bolus 250 cc NS given.",
            "renal following, no plan for HD at this time.",
        ],
    ),
    (
        &["ID: ", "ID- ", "id-- ", "ID: "],
        75,
        &[
            "Tmax {temp}, WBC {wbc}.",
            "on {abx}, day {day}.",
            "BCx x2 sent {date}, pending.",
            "vanco trough {vanco} at {time}.",
            "afebrile, cultures NGTD.",
            "T {temp} PO, lactate {lactate}.",
            "cont on contact precautions for MRSA.",
            "sputum sent for cx, gram stain with GPCs in clusters.",
            "WBC {wbc} from {wbc}, abx narrowed per ID recs.",
            "low grade temps, max {temp}, pan cultured.",
        ],
    ),
    (
        &["SKIN: ", "Skin- ", "skin-- ", "S: "],
        75,
        &[
            "skin intact, turned and repositioned q2h.",
            "stage {n} decub to coccyx, duoderm applied.",
            "R IJ TLC site clean, dsg changed {date}.",
            "L arm PIV #{gauge} placed {date}.",
            "ecchymotic areas on bilat arms.",
            "wt {weight} kg, up {n} kg from admit.",
            "heels floated, waffle boots on.",
            "buttocks reddened, barrier cream applied.",
            "abd incision well approximated, small amt serosang drainage.",
            "skin warm and dry, good turgor.",
        ],
    ),
    (&["SOCIAL: ", "Social- ", "social-- ", "Soc: "], 35, SOCIAL),
    (&["PLAN: ", "Plan- ", "plan-- ", "P: "], 60, PLAN),
];

/// History-of-present-illness prose: long, with few identifiers, as in real admission notes.
const NARRATIVE: &[&str] = &[
    "Pt reports two to three weeks of malaise, a growing abdomen and little appetite.",
    "Per report pt received 2 units FFP and vit K 10 mg SC at OSH prior to transfer.",
    "CT of head without hemorrhage, V/Q scan low probability, echo shows diffuse hypokinesis, EF about 20%.",
    "Labs at OSH notable for Hct {hct}, Na {na}, K {k}, INR {inr}, with elevated BUN/creat.",
    "BP dropped to the 70s, started on dopamine up to 8 mcg/kg/min with improvement.",
    "Pt denies CP, SOB, N/V, reports loose stools x3 days, no melena or BRBPR.",
    "Pt slipped in her bathroom and hit her forehead on the tub, denies LOC.",
    "Was taking imodium for diarrhea without relief, stool studies reportedly neg.",
    "Rhythm changed to AF, rates up to {hr_hi}s, dilt 10 mg IV given twice, rate partly controlled.",
    "Received {abx} and 3 L NS in the ED, lactate {lactate} on arrival.",
    "Intubated in the field for airway protection, GCS {gcs} on arrival.",
    "Has been on home O2 for two years, baseline sats low 90s on 2L.",
    "Recent admission for similar complaints, treated with IV diuresis.",
    "Lives alone, independent with ADLs, still drives, walks with a cane.",
];

const SOCIAL: &[&str] = &[
    "{relation} {name} in to visit, updated by RN and Dr. {last}.",
    "{relation} called at {time}, questions answered. Can be reached at {phone}.",
    "HCP is {relation} {name}, {phone}.",
    "full code, {relation} aware of plan.",
    "family meeting {date} with Dr. {last}.",
    "pt lives with {relation} in {town}.",
    "lives at {address}.",
    "{relation} {first} asks for updates by e-mail, {email}.",
    "SW {name} following, pager {phone}.",
    "CM faxed referral to {hospital}, {fax}.",
    "{relation} {first} {last} visited, very supportive.",
    "insurance verification pending, SSN {ssn} given by {relation}.",
    "pt's PCP is Dr. {last} ({phone}), updated by team.",
    "no family contact this shift.",
    "family visited this shift, plan reviewed with them and support offered.",
    "pt is a retired machinist, quit smoking 20 yrs ago, occasional ETOH.",
    "spanish speaking only, interpreter used for update.",
    "pt appears anxious at times, reassurance given with good effect.",
    "wife in at bedside most of the day, very involved in care.",
    "son called for update, info given per pt's wishes.",
    "DNR/DNI, confirmed with pt and family this am.",
    "SW consult placed for coping and dispo planning.",
    "pt tearful at times, chaplain visited.",
    "daughter is HCP, aware of transfer plan.",
];

const PLAN: &[&str] = &[
    "continue to monitor hemodynamics.",
    "wean levo to keep MAP > {map}.",
    "f/u AM labs, repeat K at {time}.",
    "possible transfer to floor {date} if stable.",
    "IR for PICC {date}.",
    "f/u with Dr. {last} at {hospital} clinic {date}, tel {phone}.",
    "d/w Dr. {last}, plan diuresis with goal net neg 1-2 L.",
    "cont abx, trend fever curve.",
    "PT/OT consult, OOB to chair.",
    "support offered to pt and family.",
    "recheck Hct at {time}, transfuse for Hct < 25.",
    "trend BP, observe for precipitous hypotension.",
    "aggressive pulmonary toilet, OOB as tolerated.",
    "monitor I&O, lytes, replete prn per sliding scale.",
    "keep NPO for now, advance diet as tolerated once extubated.",
    "sedation vacation in am, assess readiness to wean.",
    "continue current plan, see flowsheet.",
    "follow lytes, replete K to keep > 4.0 and Mg > 2.0.",
    "cont heparin gtt, PTT q6h, goal 60-80.",
    "monitor for s/s of ETOH withdrawal, CIWA q4h.",
];

const SOAP_O: &[&str] = &[
    "BUN {bun}; CR {cr}; K {k}; urine output improving post fluid challenge;",
    "INR {inr}; PT {n}7.5; PTT {ptt}; heparin gtt at {heparin} units post bolus;",
    "Hct {hct} from {hct}; {n} u PRBC given;",
    "HR {hr} {rhythm}; BP {bp}; T {temp};",
    "ABG {abg} on {vent};",
    "WBC {wbc}; lactate {lactate}; Tmax {temp};",
    "FS {glucose} at {time}; {insulin} units insulin given;",
    "labs from {date}: Na {na}, K {k}, plt {plt}, glucose {glucose};",
];

const SOAP_A: &[&str] = &[
    "continued renal insufficiency.",
    "anticoagulation therapeutic.",
    "hemodynamically stable.",
    "possible early sepsis.",
    "resp status improving.",
    "hyperglycemia, on insulin gtt.",
];

const SOAP_P: &[&str] = &[
    "repeat BUN, CR, K in am; continue I&O.",
    "maintain IV heparin per protocol; AM PT, PTT.",
    "trend Hct q6h.",
    "wean FiO2 as tolerated for sats > 92%.",
    "f/u cultures, d/w Dr. {last}.",
    "recheck at {time}.",
];

const EVENTS: &[&str] = &[
    "Event note: at {time} pt became hypotensive to SBP {sbp}s, 500 cc NS bolus given with improvement. Dr. {last} notified.",
    "at {time} pt pulled out NGT, replaced and placement confirmed by CXR.",
    "Rapid response called at {time} for HR {hr_hi}s afib, {med} given, converted to {rhythm}.",
    "{time}: pt found on floor by RN, no apparent injury, CT head neg. {relation} {name} notified at {phone}.",
    "Pt desatted to {desat}% at {time}, placed on 100% NRB, ABG {abg}.",
    "Code blue at {time}, ROSC after {n} rounds of CPR and epi. {relation} called, on the way in.",
];

const TRANSFERS: &[&str] = &[
    "Pt transferred to floor bed {bed} at {time}, report given to RN {name}.",
    "Discharged to {hospital} on {date}. MRN {mrn}. Report called to {phone}.",
    "Admission Date: {date}  Discharge Date: {date}\nPt is a {age} {sex} admitted with {dx}.",
    "Transfer note: {age} {sex} to {unit} bed {bed}. MR# {mrn}.",
    "Accepted in transfer from {hospital}, tel {phone}, records faxed from {fax}.",
    "Discharge summary dictated, dx {icd}. Contact for questions: {email}.",
];

const SIGNATURES: &[&str] = &[
    "{initial_last}, RN",
    "- {name} RN",
    "Dr. {name}, pager {phone}",
    "{name}, RRT",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn all_templates() -> Vec<&'static str> {
        let mut all = Vec::new();
        for list in [
            HEADERS, INTROS, SOCIAL, PLAN, SOAP_O, SOAP_A, SOAP_P, EVENTS, TRANSFERS, SIGNATURES,
        ] {
            all.extend_from_slice(list);
        }
        for (_, _, templates) in SYSTEMS {
            all.extend_from_slice(templates);
        }
        all
    }

    #[test]
    fn every_template_key_is_known() {
        let mut gen = notes(1);
        for t in all_templates() {
            for _ in 0..20 {
                let mut out = String::new();
                gen.fill(t, &mut out);
                assert!(
                    !out.contains('{'),
                    "unfilled key in template {t:?}: {out:?}"
                );
            }
        }
    }

    #[test]
    fn same_seed_same_text() {
        assert_eq!(corpus(200_000, 42), corpus(200_000, 42));
        let a: Vec<String> = notes(9).take(50).collect();
        let b: Vec<String> = notes(9).take(50).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn different_seeds_differ() {
        assert_ne!(corpus(10_000, 1), corpus(10_000, 2));
    }

    #[test]
    fn size_is_respected() {
        for size in [0, 1, 17, 999, 4096, 100_003] {
            let text = corpus(size, 3);
            assert!(
                text.len() <= size && text.len() + 3 >= size,
                "{size}: {}",
                text.len()
            );
        }
    }

    #[test]
    fn notes_have_no_blank_line_inside() {
        for note in notes(5).take(2000) {
            assert!(!note.is_empty());
            assert!(!note.contains("\n\n"));
            assert_eq!(note.trim_end().len(), note.len());
        }
    }

    #[test]
    fn notes_vary() {
        let batch: Vec<String> = notes(11).take(500).collect();
        let distinct: std::collections::HashSet<&String> = batch.iter().collect();
        assert_eq!(distinct.len(), batch.len());
        let caps = batch
            .iter()
            .filter(|n| n.len() > 40 && !n.bytes().any(|b| b.is_ascii_lowercase()))
            .count();
        let lower = batch
            .iter()
            .filter(|n| n.len() > 40 && !n.bytes().any(|b| b.is_ascii_uppercase()))
            .count();
        assert!(caps >= 25, "{caps} all-caps notes");
        assert!(lower >= 10, "{lower} lower-case notes");
        let lengths: Vec<usize> = batch.iter().map(String::len).collect();
        let (min, max) = (
            lengths.iter().min().copied().unwrap_or(0),
            lengths.iter().max().copied().unwrap_or(0),
        );
        assert!(min < 300 && max > 900, "lengths {min}..{max}");
    }

    /// Each kind of content the crate promises shows up in a modest corpus.
    #[test]
    fn corpus_has_every_shape() {
        let text = corpus(300_000, 21);
        let lower = text.to_ascii_lowercase();
        for needle in [
            "bp ",
            "hr ",
            "k ",
            "inr ",
            "bun/cr ",
            "mg ",
            "@example.org",
            ", ma 0",
            "mrn",
            "555-01",
            "dr. ",
            "fax",
            "ssn 9",
            " yo",
            "/20",
            "hospital",
            "\u{b0}c",
        ] {
            assert!(lower.contains(needle), "corpus lacks {needle:?}");
        }
        assert!(MONTHS.iter().any(|m| text.contains(m)));
        assert!(text.contains("-year-old") || text.contains("year old"));
    }

    /// About one identifier per 200 to 400 bytes, as in real ICU notes.
    #[test]
    fn identifier_density_is_realistic() {
        let mut gen = notes(8);
        let mut bytes = 0;
        for note in gen.by_ref().take(3000) {
            bytes += note.len() + 2;
        }
        let per_item = bytes / gen.phi_count().max(1);
        assert!(
            (200..=400).contains(&per_item),
            "one identifier per {per_item} bytes"
        );
    }

    #[test]
    fn ages_over_89_occur() {
        let mut gen = notes(4);
        let mut out = String::new();
        let mut over = 0;
        for _ in 0..200 {
            out.clear();
            gen.fill("{age}", &mut out);
            let n: u32 = out
                .bytes()
                .take_while(u8::is_ascii_digit)
                .fold(0, |n, b| n * 10 + u32::from(b - b'0'));
            if n > 89 || out.starts_with("ninety") {
                over += 1;
            }
        }
        assert!((30..=100).contains(&over), "{over} of 200 ages over 89");
    }
}
