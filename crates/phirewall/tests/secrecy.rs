//! No error message, `Display` or `Debug` output of the public types contains input text,
//! finding text, a patient key or the secret.
//!
//! Every value here is distinctive and synthetic, so a substring check cannot pass by accident:
//! each piece (`Quorvath`, `80417723`, `Wombat`...) appears nowhere in phirewall's own strings.
//! The library writes no log lines (it has no logging and prints nothing), so its `Debug`,
//! `Display` and error outputs are everything it could leak through.

use phirewall::{
    Builder, Deidentifier, Engine, ErrorKind, Finding, Kind, Known, Policy, Secret, Vault,
};

const SECRET: &str = "s3cr3t-Wombat-key-77-do-not-log";
const PATIENT_KEY: &str = "patkey-Numbat-55";
const NOTE: &str = "Seen by Dr. Quorvath Zelinski on 03/14/2021. MRN: 80417723. \
SSN 219-09-9931. Call (617) 555-0187 or write quorvath.z@example.org. Lives in Springfield.";

/// Every piece of the note's identifiers, the secret and the patient key, as substrings that
/// must appear in no output.
const NEEDLES: &[&str] = &[
    "Quorvath",
    "Zelinski",
    "03/14/2021",
    "80417723",
    "219-09-9931",
    "9931",
    "555-0187",
    "0187",
    "quorvath.z",
    "Springfield",
    "Wombat",
    "s3cr3t",
    "Numbat",
    "patkey",
];

fn assert_clean(what: &str, output: &str) {
    for needle in NEEDLES {
        assert!(
            !output.contains(needle),
            "{what} contains {needle:?}: {output}"
        );
    }
}

fn secret() -> Secret {
    Secret::new(SECRET.as_bytes().to_vec()).expect("long enough")
}

#[test]
fn the_note_has_what_the_checks_look_for() {
    // The checks below are only meaningful if the note's identifiers are found.
    let engine = Engine::new().expect("builds");
    let kinds: Vec<Kind> = engine.detect(NOTE).iter().map(|f| f.kind).collect();
    for kind in [
        Kind::Name,
        Kind::Date,
        Kind::Mrn,
        Kind::Ssn,
        Kind::Phone,
        Kind::Email,
    ] {
        assert!(kinds.contains(&kind), "{kind} not found: {kinds:?}");
    }
}

#[test]
fn engine_builder_and_findings() {
    let builder: Builder = Engine::builder().kinds([Kind::Name, Kind::Ssn]);
    assert_clean("Builder Debug", &format!("{builder:?}"));
    let engine = Engine::new().expect("builds");
    assert_clean("Engine Debug", &format!("{engine:?}"));
    let found: Vec<Finding> = engine.detect(NOTE);
    assert!(found.len() >= 6);
    assert_clean("Finding Debug", &format!("{found:?}"));
    for f in &found {
        assert_clean("Kind Display", &format!("{} {}", f.kind, f.detector));
    }
    let err = Engine::builder().kinds([]).build().expect_err("no kinds");
    assert_clean("Error", &format!("{err} {err:?}"));
    let err = "Quorvath".parse::<Kind>().expect_err("no such kind");
    assert_clean("UnknownKind", &format!("{err} {err:?}"));
}

#[test]
fn known_identifiers() {
    let known = Known::new()
        .name("Quorvath Zelinski")
        .mrn("80417723")
        .identifier(Kind::Ssn, "219-09-9931")
        .address("12 Elm St, Springfield, MA 01101");
    assert_clean("Known Debug", &format!("{known:?}"));
    let engine = Engine::new().expect("builds");
    let found = engine.detect_known(NOTE, &known);
    assert_clean("known Finding Debug", &format!("{found:?}"));
    // After the matcher was compiled, too.
    assert_clean("Known Debug after use", &format!("{known:?}"));
}

#[test]
fn secret_policy_and_deidentifier() {
    let s = secret();
    assert_clean("Secret Debug", &format!("{s:?}"));
    let err = Secret::new(b"Wombat-short".to_vec()).expect_err("too short");
    assert_clean("short secret Error", &format!("{err} {err:?}"));
    let policy = Policy::llm_prompt();
    assert_clean("Policy Debug", &format!("{policy:?}"));
    let d = Deidentifier::new(Engine::new().expect("builds"), policy, Some(s)).expect("valid");
    assert_clean("Deidentifier Debug", &format!("{d:?}"));
    let out = d.deidentify(NOTE, Some(PATIENT_KEY)).expect("valid input");
    assert_clean("Deidentified Debug", &format!("{out:?}"));
    assert_clean("Replacement Debug", &format!("{:?}", out.replacements));
    // The output itself: every identifier replaced, the keys never written.
    assert_clean("de-identified text", &out.text);
    // Errors of every de-identification path.
    let no_key = d
        .deidentify(NOTE, None)
        .expect_err("dates need a patient key");
    assert_eq!(no_key.kind(), ErrorKind::PatientKey);
    assert_clean("patient key Error", &format!("{no_key} {no_key:?}"));
    let no_secret = Deidentifier::new(Engine::new().expect("builds"), Policy::surrogate(), None)
        .expect_err("surrogates need a secret");
    assert_clean("secret Error", &format!("{no_secret} {no_secret:?}"));
}

#[test]
fn policy_parse_errors_do_not_echo_the_file() {
    // A policy file is configuration, not PHI, but errors never carry text at all: a value in
    // a malformed file (here a pasted note) must not come back in the message.
    let bad_toml = format!("tag = \"{NOTE}\"\nQuorvath = 1\n");
    let err = Policy::from_toml(&bad_toml).expect_err("unknown field");
    assert_clean("TOML Error", &format!("{err} {err:?}"));
    let bad_json = format!("{{\"tag\": \"{NOTE}\", \"Quorvath\": 1}}");
    let err = Policy::from_json(&bad_json).expect_err("unknown field");
    assert_clean("JSON Error", &format!("{err} {err:?}"));
    let err = Policy::preset("Quorvath").expect_err("unknown preset");
    assert_clean("preset Error", &format!("{err} {err:?}"));
    let bad_kind = "[kinds.Quorvath]\nop = \"tag\"\n";
    let err = Policy::from_toml(bad_kind).expect_err("unknown kind");
    assert_clean("kind Error", &format!("{err} {err:?}"));
}

#[test]
fn vault_sealed_and_unsealed() {
    let d = Deidentifier::new(
        Engine::new().expect("builds"),
        Policy::llm_prompt(),
        Some(secret()),
    )
    .expect("valid");
    let mut vault = Vault::new();
    let out = d
        .pseudonymize(NOTE, Some(PATIENT_KEY), &mut vault)
        .expect("valid input");
    assert!(vault.len() >= 5, "the vault holds the note's identifiers");
    assert_clean("Vault Debug", &format!("{vault:?}"));
    assert_clean("Echo Debug", &format!("{:?}", vault.echoes(NOTE)));
    assert_clean("pseudonymized text", &out.text);
    let sealed = vault.seal(&secret()).expect("seals");
    assert_clean("sealed vault", &sealed);
    let opened = Vault::unseal(&sealed, &secret()).expect("the same key opens it");
    assert!(opened == vault);
    assert_clean("unsealed Vault Debug", &format!("{opened:?}"));
    // Wrong key, altered data, malformed JSON: errors without text.
    let other = Secret::new(b"another key, 16+ bytes long".to_vec()).expect("long enough");
    let err = Vault::unseal(&sealed, &other).expect_err("wrong key");
    assert_clean("unseal Error", &format!("{err} {err:?}"));
    let mut altered = sealed.clone();
    altered.push('A');
    let err = Vault::unseal(&altered, &secret()).expect_err("altered");
    assert_clean("altered Error", &format!("{err} {err:?}"));
    let json = vault.to_json();
    let err = Vault::from_json(&json.replace("\"entries\"", "\"Quorvath\""))
        .expect_err("malformed vault JSON");
    assert_clean("vault JSON Error", &format!("{err} {err:?}"));
}
