//! Reading a suite file: every `[[case]]` table into a [`Case`] and its expectation, through the
//! same `Deserialize` as the JSON wire form, with every field that cannot be read named.

use serde::Deserialize;
use serde_path_to_error::Segment;
use toml::{Spanned, Table, Value};

use super::expect::ExpectWire;
use super::{CaseIssue, SuiteCase, SuiteError};
use crate::Case;

/// The file as a whole: only `case`, an array of tables, each kept as it is with where it
/// starts, so that one case that cannot be read does not stop the others.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuiteFile {
    case: Vec<Spanned<Value>>,
}

/// Every case of the file, in order; an error only for a file that is not a suite at all.
pub(super) fn cases(text: &str) -> Result<Vec<SuiteCase>, SuiteError> {
    let file: SuiteFile = toml::from_str(text).map_err(|error| {
        SuiteError::Syntax(format!(
            "not a suite file: {}",
            error.to_string().trim_end()
        ))
    })?;
    if file.case.is_empty() {
        return Err(SuiteError::Syntax(
            "not a suite file: it has no case (write each as a [[case]] table)".to_owned(),
        ));
    }
    let mut cases: Vec<SuiteCase> = Vec::with_capacity(file.case.len());
    for (index, spanned) in file.case.into_iter().enumerate() {
        let line = line_of(text, spanned.span().start);
        let mut case = one_case(index, line, spanned.into_inner());
        let earlier = case.name.as_ref().and_then(|name| {
            cases
                .iter()
                .find(|other| other.name.as_ref() == Some(name))
                .map(|other| (name, other.index))
        });
        if let Some((name, earlier)) = earlier {
            let issue = CaseIssue::Unreadable {
                path: "name".to_owned(),
                value: Some(Value::String(name.clone()).to_string()),
                message: format!(
                    "is also the name of case[{earlier}]: a name must tell its case apart"
                ),
            };
            match &mut case.body {
                Ok(_) => case.body = Err(vec![issue]),
                Err(issues) => issues.insert(0, issue),
            }
        }
        cases.push(case);
    }
    Ok(cases)
}

/// The line, counted from 1, on which the byte at `offset` lies.
fn line_of(text: &str, offset: usize) -> Option<usize> {
    let before = text.get(..offset)?;
    Some(before.matches('\n').count() + 1)
}

/// One `[[case]]` table: its name, the case, and the expectation, each read on its own so that
/// every one of them that is wrong is reported.
fn one_case(index: usize, line: Option<usize>, value: Value) -> SuiteCase {
    let mut table = match value {
        Value::Table(table) => table,
        other => {
            return SuiteCase {
                index,
                name: None,
                line,
                body: Err(vec![CaseIssue::Unreadable {
                    path: String::new(),
                    value: Some(other.to_string()),
                    message: "is not a case: write each case as a [[case]] table".to_owned(),
                }]),
            };
        }
    };
    let mut issues = Vec::new();
    let name = match table.remove("name") {
        Some(Value::String(name)) if !name.trim().is_empty() => Some(name),
        Some(other) => {
            issues.push(CaseIssue::Unreadable {
                path: "name".to_owned(),
                value: scalar_text(&other),
                message: "is not a name: write a string that says what the case is about"
                    .to_owned(),
            });
            None
        }
        None => {
            issues.push(missing("name", "every case has a name, a string"));
            None
        }
    };
    let expect = match table.remove("expect") {
        Some(Value::Table(expect)) => {
            let expect = Value::Table(expect);
            match read::<ExpectWire>(expect.clone(), "expect") {
                Ok(wire) => match wire.checked(&expect) {
                    Ok(expect) => Some(expect),
                    Err(found) => {
                        issues.extend(found);
                        None
                    }
                },
                Err(issue) => {
                    issues.push(issue);
                    None
                }
            }
        }
        Some(other) => {
            issues.push(CaseIssue::Unreadable {
                path: "expect".to_owned(),
                value: scalar_text(&other),
                message: "is not a table: write [case.expect] with the outcome, such as \
                          outcome = \"granted\""
                    .to_owned(),
            });
            None
        }
        None => {
            issues.push(missing(
                "expect",
                "every case says what it expects: an [case.expect] table with its outcome",
            ));
            None
        }
    };
    let case = match read::<Case>(Value::Table(table), "") {
        Ok(case) => Some(case),
        Err(issue) => {
            issues.push(issue);
            None
        }
    };
    let body = match (case, expect) {
        (Some(case), Some(expect)) if issues.is_empty() => Ok((case, expect)),
        _ => Err(issues),
    };
    SuiteCase {
        index,
        name,
        line,
        body,
    }
}

/// A table the case needs and does not have.
fn missing(path: &str, message: &str) -> CaseIssue {
    CaseIssue::Unreadable {
        path: path.to_owned(),
        value: None,
        message: format!("missing: {message}"),
    }
}

/// Reads `T` from a value of the file, or names the field that could not be read (its path
/// under `prefix`), the value found there and what is wrong with it.
fn read<T: for<'de> Deserialize<'de>>(value: Value, prefix: &str) -> Result<T, CaseIssue> {
    // TOML has a date-time type of its own, which the wire form's fields do not read: written
    // as text, `now = 2026-11-24T10:00:00+07:00` reads as the JSON string would.
    let wire = with_datetimes_as_text(value.clone());
    serde_path_to_error::deserialize(wire).map_err(|error| {
        let found = value_at(&value, error.path());
        let mut path = prefix.to_owned();
        for segment in error.path().iter() {
            let step = match segment {
                Segment::Seq { index } => format!("[{index}]"),
                Segment::Map { key } | Segment::Enum { variant: key } => {
                    if path.is_empty() {
                        key.clone()
                    } else {
                        format!(".{key}")
                    }
                }
                Segment::Unknown => continue,
            };
            path.push_str(&step);
        }
        CaseIssue::Unreadable {
            path,
            value: found.and_then(scalar_text),
            message: error.into_inner().message().trim_end().to_owned(),
        }
    })
}

/// The value at a path of the file, if there is one.
fn value_at<'v>(mut value: &'v Value, path: &serde_path_to_error::Path) -> Option<&'v Value> {
    for segment in path.iter() {
        value = match (segment, value) {
            (Segment::Seq { index }, Value::Array(items)) => items.get(*index)?,
            (Segment::Map { key } | Segment::Enum { variant: key }, Value::Table(table)) => {
                table.get(key)?
            }
            _ => return None,
        };
    }
    Some(value)
}

/// A value as the file writes it, when it is one value (a table or a list is named by its path
/// alone: the message says what is wrong in it).
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Table(_) | Value::Array(_) => None,
        scalar => Some(scalar.to_string()),
    }
}

/// The value with every TOML date-time written as its RFC 3339 text.
fn with_datetimes_as_text(value: Value) -> Value {
    match value {
        Value::Datetime(datetime) => Value::String(datetime.to_string()),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(with_datetimes_as_text).collect())
        }
        Value::Table(table) => Value::Table(
            table
                .into_iter()
                .map(|(key, value)| (key, with_datetimes_as_text(value)))
                .collect::<Table>(),
        ),
        other => other,
    }
}
