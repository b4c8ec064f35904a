//! Data-driven detection cases: one TOML file per identifier family under `tests/cases/`.
//!
//! Each `[[case]]` has a synthetic `text` and the exact findings expected in it, as kind and
//! substring (`nth` picks a later occurrence of a repeated substring). The comparison is strict:
//! a finding that is not listed fails the case, so hard negatives are cases with `find = []`.
//! All failures of all files are reported together.

use std::path::PathBuf;

use phirewall::{Engine, Kind, Span};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    text: String,
    find: Vec<Expected>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    kind: String,
    text: String,
    #[serde(default)]
    nth: usize,
}

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases")
}

fn load() -> Vec<(String, File)> {
    let mut files: Vec<_> = std::fs::read_dir(cases_dir())
        .expect("tests/cases exists")
        .map(|e| e.expect("readable dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            let src = std::fs::read_to_string(&p).expect("readable case file");
            let file: File = toml::from_str(&src).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, file)
        })
        .collect()
}

fn expected_spans(case: &Case) -> Result<Vec<(Kind, Span)>, String> {
    let mut out = Vec::new();
    for e in &case.find {
        let kind: Kind = e
            .kind
            .parse()
            .map_err(|_| format!("unknown kind {:?}", e.kind))?;
        let start = case
            .text
            .match_indices(e.text.as_str())
            .nth(e.nth)
            .map(|(i, _)| i)
            .ok_or_else(|| format!("{:?} (nth {}) is not in the text", e.text, e.nth))?;
        out.push((kind, Span::new(start, start + e.text.len())));
    }
    out.sort_by_key(|(_, s)| *s);
    Ok(out)
}

#[test]
fn every_case_file_passes() {
    let engine = Engine::new().expect("engine builds");
    let mut failures = Vec::new();
    let mut total = 0;
    for (name, file) in load() {
        for case in &file.case {
            total += 1;
            let want = match expected_spans(case) {
                Ok(w) => w,
                Err(e) => {
                    failures.push(format!("{name}: bad case {:?}: {e}", case.text));
                    continue;
                }
            };
            let got: Vec<(Kind, Span)> = engine
                .detect(&case.text)
                .iter()
                .map(|f| (f.kind, f.span))
                .collect();
            if got != want {
                let show = |v: &[(Kind, Span)]| {
                    v.iter()
                        .map(|(k, s)| format!("{k}:{:?}", &case.text[s.range()]))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                failures.push(format!(
                    "{name}: {:?}\n    want [{}]\n    got  [{}]",
                    case.text,
                    show(&want),
                    show(&got)
                ));
            }
        }
    }
    assert!(total > 0, "no cases were loaded");
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every family file carries at least 20 positive and 20 hard negative cases.
#[test]
fn every_family_is_covered() {
    let files = load();
    assert!(!files.is_empty());
    for (name, file) in files {
        let positives = file.case.iter().filter(|c| !c.find.is_empty()).count();
        let negatives = file.case.len() - positives;
        assert!(positives >= 20, "{name}: only {positives} positive cases");
        assert!(negatives >= 20, "{name}: only {negatives} negative cases");
    }
}
