//! Project tasks, run as `cargo xtask <task>` (an alias in .cargo/config.toml).
//!
//! `cargo xtask dicts` compiles the word lists in `dictionaries/*.txt` into one FST map,
//! `crates/phirewall-dicts/data/terms.fst`, and copies `dictionaries/NOTICES` next to it.
//! `cargo xtask dicts --check` builds both in memory and fails if the committed files differ,
//! so CI catches a list edited without rebuilding the map (or the reverse).
//!
//! The output is a pure function of the lists: the terms go into the map in sorted order and
//! the FST builder writes nothing else (no timestamps, no hash-map iteration order).

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// The value layout, shared with the crate that ships the map.
#[path = "../../phirewall-dicts/src/layout.rs"]
#[allow(dead_code)]
mod layout;

const USAGE: &str = "usage: cargo xtask dicts [--check]";

/// What the number after the tab means in a list, if it has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    /// No number: the line is the term.
    None,
    /// SSA births with that first name; turned into a rank.
    FirstCount,
    /// Census people with that surname; turned into a rank.
    SurnameCount,
    /// SCOWL size class, stored as is as the word rank.
    WordSize,
}

/// One list file and the class its entries get.
#[derive(Debug)]
struct List {
    file: &'static str,
    class: u16,
    column: Column,
}

/// Every list the map is made of. A `*.txt` file in dictionaries/ that is not here is an error,
/// so a new list cannot be silently left out of the map.
const LISTS: &[List] = &[
    List {
        file: "first_names.txt",
        class: layout::FIRST_NAME,
        column: Column::FirstCount,
    },
    List {
        file: "surnames.txt",
        class: layout::SURNAME,
        column: Column::SurnameCount,
    },
    List {
        file: "cities.txt",
        class: layout::CITY,
        column: Column::None,
    },
    List {
        file: "counties.txt",
        class: layout::COUNTY,
        column: Column::None,
    },
    List {
        file: "states.txt",
        class: layout::STATE,
        column: Column::None,
    },
    List {
        file: "state_abbrs.txt",
        class: layout::STATE_ABBR,
        column: Column::None,
    },
    List {
        file: "street_suffixes.txt",
        class: layout::STREET_SUFFIX,
        column: Column::None,
    },
    List {
        file: "unit_designators.txt",
        class: layout::UNIT,
        column: Column::None,
    },
    List {
        file: "english_words.txt",
        class: layout::ENGLISH_WORD,
        column: Column::WordSize,
    },
    List {
        file: "medical_terms.txt",
        class: layout::MEDICAL_TERM,
        column: Column::None,
    },
    List {
        file: "drugs.txt",
        class: layout::DRUG,
        column: Column::None,
    },
    List {
        file: "clinical_abbrs.txt",
        class: layout::CLINICAL_ABBR,
        column: Column::None,
    },
    List {
        file: "facility_words.txt",
        class: layout::FACILITY,
        column: Column::None,
    },
    List {
        file: "titles.txt",
        class: layout::TITLE,
        column: Column::None,
    },
    List {
        file: "relation_cues.txt",
        class: layout::RELATION_CUE,
        column: Column::None,
    },
];

/// What the lists say about one term before ranks are computed.
#[derive(Debug, Default)]
struct Facts {
    classes: u16,
    first_count: u64,
    surname_count: u64,
    word_size: u16,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let check = match args.as_slice() {
        ["dicts"] => false,
        ["dicts", "--check"] => true,
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match dicts(&workspace_root(), check) {
        Ok(summary) => {
            // A closed stdout (`| head`) is not a failure of the task.
            let _ = writeln!(std::io::stdout(), "{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("xtask dicts: {e}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    // crates/xtask -> the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Builds the map and the notices; writes them, or with `check` compares them to the files.
fn dicts(root: &Path, check: bool) -> Result<String, String> {
    let dir = root.join("dictionaries");
    check_known_files(&dir)?;

    let mut terms: BTreeMap<String, Facts> = BTreeMap::new();
    for list in LISTS {
        read_list(&dir.join(list.file), list, &mut terms)?;
    }
    let map = build_map(&terms)?;
    let notices =
        fs::read(dir.join("NOTICES")).map_err(|e| format!("dictionaries/NOTICES: {e}"))?;

    let data = root.join("crates/phirewall-dicts");
    let outputs = [
        (data.join("data/terms.fst"), &map),
        (data.join("NOTICES"), &notices),
    ];
    for (path, bytes) in outputs {
        let shown = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        if check {
            let committed = fs::read(&path).map_err(|e| format!("{shown}: {e}"))?;
            if committed != *bytes {
                return Err(format!("{shown} is out of date: run `cargo xtask dicts`"));
            }
        } else {
            fs::write(&path, bytes).map_err(|e| format!("{shown}: {e}"))?;
        }
    }
    Ok(summary(&terms, map.len(), check))
}

/// Every `*.txt` in dictionaries/ must be a known list, and every known list must exist.
fn check_known_files(dir: &Path) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let name = entry.map_err(|e| e.to_string())?.file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".txt") && !LISTS.iter().any(|l| l.file == name) {
            return Err(format!(
                "dictionaries/{name} is not a known list: add it to LISTS in crates/xtask"
            ));
        }
    }
    for list in LISTS {
        if !dir.join(list.file).is_file() {
            return Err(format!("dictionaries/{} is missing", list.file));
        }
    }
    Ok(())
}

/// Reads one list, checking the format SOURCES.md promises, into `terms`.
fn read_list(path: &Path, list: &List, terms: &mut BTreeMap<String, Facts>) -> Result<(), String> {
    let text = fs::read_to_string(path).map_err(|e| format!("dictionaries/{}: {e}", list.file))?;
    let mut previous: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        let at = || format!("dictionaries/{}:{}", list.file, i + 1);
        if line.starts_with('#') {
            if previous.is_some() {
                return Err(format!(
                    "{}: '#' lines are allowed only before the entries",
                    at()
                ));
            }
            continue;
        }
        let (term, number) = match line.split_once('\t') {
            Some((term, number)) => (term, Some(number)),
            None => (line, None),
        };
        check_term(term).map_err(|why| format!("{}: {why}: {term:?}", at()))?;
        if previous.is_some_and(|p| p.as_bytes() >= term.as_bytes()) {
            return Err(format!(
                "{}: {term:?} is out of order or repeated (sort with LC_ALL=C sort -u)",
                at()
            ));
        }
        previous = Some(term);

        let facts = terms.entry(term.to_owned()).or_default();
        facts.classes |= list.class;
        let number = match (list.column, number) {
            (Column::None, None) => continue,
            (Column::None, Some(_)) => return Err(format!("{}: this list has no numbers", at())),
            (_, None) => return Err(format!("{}: a tab and a number must follow", at())),
            (_, Some(n)) => n
                .parse::<u64>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("{}: {number:?} is not a positive number", at()))?,
        };
        match list.column {
            Column::FirstCount => facts.first_count = number,
            Column::SurnameCount => facts.surname_count = number,
            Column::WordSize => {
                facts.word_size = u16::try_from(number)
                    .map_err(|_| format!("{}: word size {number} is over 65535", at()))?;
            }
            Column::None => {}
        }
    }
    Ok(())
}

/// The rules a reader relies on: lowercase (so lookups lowercase the input and nothing else),
/// single inner spaces, no control characters, and short enough for its stack buffer.
fn check_term(term: &str) -> Result<(), &'static str> {
    if term.is_empty() {
        return Err("empty entry");
    }
    if term.len() > layout::MAX_TERM_LEN {
        return Err("longer than MAX_TERM_LEN bytes");
    }
    if term.to_lowercase() != term {
        return Err("not lowercase");
    }
    if term
        .chars()
        .any(|c| (c.is_whitespace() && c != ' ') || c.is_control())
    {
        return Err("a control or non-space whitespace character");
    }
    if term.starts_with(' ') || term.ends_with(' ') || term.contains("  ") {
        return Err("leading, trailing or double space");
    }
    Ok(())
}

/// Turns counts into ranks: 1 + how many entries have a larger count, so ties share a rank.
/// Ranks past `u16::MAX` saturate: the field is 16 bits and only the order near the top matters.
fn ranks(counts: impl Iterator<Item = u64>) -> impl Fn(u64) -> u16 {
    let mut sorted: Vec<u64> = counts.filter(|&c| c > 0).collect();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    move |count| {
        if count == 0 {
            return 0;
        }
        let larger = sorted.partition_point(|&c| c > count);
        u16::try_from(larger + 1).unwrap_or(u16::MAX)
    }
}

fn build_map(terms: &BTreeMap<String, Facts>) -> Result<Vec<u8>, String> {
    let first_rank = ranks(terms.values().map(|f| f.first_count));
    let surname_rank = ranks(terms.values().map(|f| f.surname_count));
    let mut builder = fst::MapBuilder::memory();
    // BTreeMap<String, _> iterates in byte order, the order the FST builder requires.
    for (term, facts) in terms {
        let value = u64::from(facts.classes)
            | u64::from(first_rank(facts.first_count)) << layout::FIRST_RANK_SHIFT
            | u64::from(surname_rank(facts.surname_count)) << layout::SURNAME_RANK_SHIFT
            | u64::from(facts.word_size) << layout::WORD_RANK_SHIFT;
        builder
            .insert(term, value)
            .map_err(|e| format!("building the map: {e}"))?;
    }
    builder
        .into_inner()
        .map_err(|e| format!("building the map: {e}"))
}

fn summary(terms: &BTreeMap<String, Facts>, bytes: usize, check: bool) -> String {
    let mut out = format!(
        "terms.fst {}: {} terms, {} bytes",
        if check { "is up to date" } else { "written" },
        terms.len(),
        bytes
    );
    for list in LISTS {
        let n = terms
            .values()
            .filter(|f| f.classes & list.class != 0)
            .count();
        out.push_str(&format!("\n  {:<22} {n:>7}", list.file));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_share_ties_and_saturate() {
        let rank = ranks([50, 10, 50, 7].into_iter());
        assert_eq!(rank(50), 1);
        assert_eq!(rank(10), 3);
        assert_eq!(rank(7), 4);
        assert_eq!(rank(0), 0);
        let many = ranks((1..=70_000u64).rev());
        assert_eq!(many(70_000), 1);
        assert_eq!(many(1), u16::MAX);
    }

    #[test]
    fn terms_must_be_normalized() {
        assert!(check_term("new york").is_ok());
        assert!(check_term("o'fallon").is_ok());
        assert!(check_term("New York").is_err());
        assert!(check_term("new  york").is_err());
        assert!(check_term(" york").is_err());
        assert!(check_term("new\u{a0}york").is_err());
        assert!(check_term("").is_err());
        assert!(check_term(&"a".repeat(layout::MAX_TERM_LEN + 1)).is_err());
    }

    #[test]
    fn the_classes_fit_the_layout() {
        let all = LISTS.iter().fold(0u16, |acc, l| {
            assert_eq!(acc & l.class, 0, "{} reuses a class bit", l.file);
            acc | l.class
        });
        assert_eq!(all, layout::ALL_CLASSES);
    }
}
