//! Every bad policy file in `tests/policies/bad/` is refused with exactly the problems it names.
//!
//! A TOML file lists what it expects in its leading comments, a JSON file in `NAME.json.expect`:
//! `expect: PROBLEM` for each validation problem (all of them, in order), or
//! `expect-syntax: TEXT` for a file that does not read, with a piece of the message.

use std::path::{Path, PathBuf};

use voucher_policy::{Policy, PolicyError};

fn corpus() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/policies/bad");
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "toml" || ext == "json")
        })
        .collect();
    files.sort();
    files
}

fn expectations(path: &Path) -> Vec<String> {
    let text = if path.extension().is_some_and(|ext| ext == "json") {
        std::fs::read_to_string(format!("{}.expect", path.display())).unwrap()
    } else {
        std::fs::read_to_string(path).unwrap()
    };
    text.lines()
        .map(|line| line.trim_start_matches("# "))
        .filter(|line| line.starts_with("expect"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_corpus_has_at_least_25_bad_files() {
    assert!(corpus().len() >= 25, "{}", corpus().len());
}

#[test]
fn every_bad_file_is_refused_with_the_problems_it_expects() {
    let mut failures = Vec::new();
    for path in corpus() {
        let expected = expectations(&path);
        assert!(!expected.is_empty(), "{} expects nothing", path.display());
        let error = match Policy::load(&path) {
            Ok(_) => {
                failures.push(format!("{}: loaded without error", path.display()));
                continue;
            }
            Err(error) => error,
        };
        let syntax: Vec<&str> = expected
            .iter()
            .filter_map(|line| line.strip_prefix("expect-syntax: "))
            .collect();
        if !syntax.is_empty() {
            let message = error.to_string();
            if !matches!(error, PolicyError::Syntax(_))
                || !syntax.iter().all(|piece| message.contains(piece))
            {
                failures.push(format!(
                    "{}: expected a syntax error with {syntax:?}, got: {message}",
                    path.display()
                ));
            }
            continue;
        }
        let want: Vec<&str> = expected
            .iter()
            .filter_map(|line| line.strip_prefix("expect: "))
            .collect();
        let got: Vec<String> = error.problems().iter().map(ToString::to_string).collect();
        if got != want {
            failures.push(format!(
                "{}:\n  expected {want:#?}\n  got      {got:#?}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn problems_name_their_path_and_value_separately() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/policies/default.toml"),
    )
    .unwrap()
    .replace("value_limit = 250000", "value_limit = -5");
    let error = Policy::from_toml_str(&text).unwrap_err();
    let problem = &error.problems()[0];
    assert_eq!(problem.path(), "tiers.gold.value_limit");
    assert_eq!(problem.value(), Some("-5"));
    assert_eq!(problem.message(), "is negative");
    assert_eq!(
        error.to_string(),
        "1 problem in the policy:\n  - tiers.gold.value_limit: -5 is negative"
    );
}

#[test]
fn a_local_offset_is_read_whole_or_refused() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/policies/default.toml"),
    )
    .unwrap();
    let with_offset = |offset: &str| {
        Policy::from_toml_str(&text.replace(
            "local_offset = \"+07:00\"",
            &format!("local_offset = \"{offset}\""),
        ))
    };
    for (offset, seconds) in [
        ("+07:00", 25_200),
        ("+0700", 25_200),
        ("-05:30", -19_800),
        ("+23:59", 86_340),
        ("-00:00", 0),
    ] {
        let policy = with_offset(offset).unwrap_or_else(|error| panic!("{offset}: {error}"));
        assert_eq!(policy.local_offset().local_minus_utc(), seconds, "{offset}");
    }
    // Each of these once loaded as +07:00, silently dropping what followed the minutes.
    for offset in [
        "+07:00:30",
        "+07:00:59",
        "+07:00x",
        "+07:00 30",
        "+07:00:30:00",
        "+07:00:3",
    ] {
        let error = with_offset(offset).expect_err(offset);
        assert_eq!(
            error.problems()[0].to_string(),
            format!("local_offset: {offset} is not a UTC offset such as +07:00"),
        );
    }
}
