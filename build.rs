//! Compiles the shipped script catalogs (`catalogs/*.toml`) into the library, so that the crate
//! writes scripts without parsing TOML at run time, and without the `toml` feature at all.
//!
//! The build only transcribes each file into the catalog file's form (`src/script/file.rs`);
//! the library checks and compiles it like any file it loads, and its tests check that the
//! compiled catalogs equal the files read at run time.

use std::error::Error;
use std::fmt::Write as _;
use std::path::Path;

use toml::{Table, Value};

/// The shipped catalogs, in the order they are loaded.
const SHIPPED: [&str; 2] = ["catalogs/id.toml", "catalogs/en.toml"];

/// The sections of messages, in the catalog file's order.
const SECTIONS: [&str; 8] = [
    "empathy",
    "conduct",
    "grant",
    "refusal",
    "way_forward",
    "handoff",
    "closing",
    "channel",
];

fn main() -> Result<(), Box<dyn Error>> {
    let mut out = String::from(
        "// Written by build.rs from the shipped catalogs; do not edit.\n\
         pub(crate) fn shipped() -> Vec<(&'static str, CatalogFile)> {\n    vec![\n",
    );
    for file in SHIPPED {
        println!("cargo::rerun-if-changed={file}");
        let text = std::fs::read_to_string(file)?;
        let table: Table = toml::from_str(&text).map_err(|error| format!("{file}: {error}"))?;
        let catalog = catalog(&table).map_err(|error| format!("{file}: {error}"))?;
        writeln!(out, "        ({file:?}, {catalog}),")?;
    }
    out.push_str("    ]\n}\n");
    let dir = std::env::var("OUT_DIR")?;
    std::fs::write(Path::new(&dir).join("shipped_catalogs.rs"), out)?;
    Ok(())
}

/// The Rust expression of a whole catalog file.
fn catalog(table: &Table) -> Result<String, String> {
    for key in table.keys() {
        let known = ["locale", "default_address", "address", "format", "issues"]
            .contains(&key.as_str())
            || SECTIONS.contains(&key.as_str());
        if !known {
            return Err(format!("unknown key `{key}`"));
        }
    }
    let locale =
        string(table.get("locale"), "locale")?.ok_or_else(|| "`locale` is missing".to_owned())?;
    let default_address = match string(table.get("default_address"), "default_address")? {
        None => "None".to_owned(),
        Some(form) => format!("Some(AddressForm::{})", form_variant(&form)?),
    };
    let address = match table.get("address") {
        None => "AddressFile::default()".to_owned(),
        Some(value) => address(as_table(value, "address")?)?,
    };
    let format = match table.get("format") {
        None => "FormatFile::default()".to_owned(),
        Some(value) => format_file(as_table(value, "format")?)?,
    };
    let mut issues = String::from("BTreeMap::from([");
    if let Some(value) = table.get("issues") {
        for (category, label) in as_table(value, "issues")? {
            let label = string(Some(label), category)?.unwrap_or_default();
            write!(
                issues,
                "({category:?}.to_owned(), Spanned::compiled({label:?}.to_owned())), "
            )
            .map_err(|error| error.to_string())?;
        }
    }
    issues.push_str("])");
    let mut sections = String::new();
    for name in SECTIONS {
        let section = match table.get(name) {
            None => "SectionFile::new()".to_owned(),
            Some(value) => section(as_table(value, name)?, name)?,
        };
        write!(sections, "{name}: {section}, ").map_err(|error| error.to_string())?;
    }
    Ok(format!(
        "CatalogFile {{ locale: Spanned::compiled({locale:?}.to_owned()), \
         default_address: {default_address}, address: {address}, format: {format}, {sections}\
         issues: {issues} }}"
    ))
}

fn form_variant(form: &str) -> Result<&'static str, String> {
    match form {
        "familiar" => Ok("Familiar"),
        "formal" => Ok("Formal"),
        other => Err(format!("`{other}` is not a form of address")),
    }
}

fn address(table: &Table) -> Result<String, String> {
    let mut forms = Vec::new();
    for form in ["familiar", "formal", "bapak", "ibu"] {
        let terms = match table.get(form) {
            None => "None".to_owned(),
            Some(value) => {
                let terms = as_table(value, form)?;
                let word = |key: &str| -> Result<String, String> {
                    Ok(spanned_string(string(terms.get(key), key)?))
                };
                format!(
                    "Some(TermsFile {{ title: {}, you: {} }})",
                    word("title")?,
                    word("you")?
                )
            }
        };
        forms.push(terms);
    }
    let form = |index: usize| forms.get(index).map_or("None", String::as_str);
    Ok(format!(
        "AddressFile {{ familiar: {}, formal: {}, bapak: {}, ibu: {} }}",
        form(0),
        form(1),
        form(2),
        form(3)
    ))
}

fn format_file(table: &Table) -> Result<String, String> {
    let setting =
        |key: &str| -> Result<String, String> { Ok(spanned_string(string(table.get(key), key)?)) };
    let mut prefixes = String::from("BTreeMap::from([");
    if let Some(value) = table.get("amount_prefix") {
        for (code, prefix) in as_table(value, "amount_prefix")? {
            let prefix = string(Some(prefix), code)?.unwrap_or_default();
            write!(
                prefixes,
                "({code:?}.to_owned(), Spanned::compiled({prefix:?}.to_owned())), "
            )
            .map_err(|error| error.to_string())?;
        }
    }
    prefixes.push_str("])");
    let months = match table.get("months") {
        None => "None".to_owned(),
        Some(Value::Array(months)) => {
            let names = months
                .iter()
                .map(|month| match month {
                    Value::String(name) => Ok(format!("{name:?}.to_owned()")),
                    _ => Err("`months` lists names".to_owned()),
                })
                .collect::<Result<Vec<_>, _>>()?;
            format!("Some(Spanned::compiled(vec![{}]))", names.join(", "))
        }
        Some(_) => return Err("`months` is a list".to_owned()),
    };
    Ok(format!(
        "FormatFile {{ thousands_separator: {}, decimal_separator: {}, amount_prefix: {prefixes}, \
         date: {}, months: {months}, day: {}, days: {}, hour: {}, hours: {}, minute: {}, \
         minutes: {} }}",
        setting("thousands_separator")?,
        setting("decimal_separator")?,
        setting("date")?,
        setting("day")?,
        setting("days")?,
        setting("hour")?,
        setting("hours")?,
        setting("minute")?,
        setting("minutes")?,
    ))
}

fn section(table: &Table, name: &str) -> Result<String, String> {
    let mut out = String::from("SectionFile::from([");
    for (key, value) in table {
        let message = match value {
            Value::String(text) => format!("MessageText::Same({text:?}.to_owned())"),
            Value::Table(forms) => {
                let form = |form: &str| -> Result<String, String> {
                    Ok(match string(forms.get(form), form)? {
                        Some(text) => format!("Some({text:?}.to_owned())"),
                        None => "None".to_owned(),
                    })
                };
                format!(
                    "MessageText::ByForm {{ familiar: {}, formal: {} }}",
                    form("familiar")?,
                    form("formal")?
                )
            }
            _ => return Err(format!("`{name}.{key}` is a string or a table of forms")),
        };
        write!(out, "({key:?}.to_owned(), Spanned::compiled({message})), ")
            .map_err(|error| error.to_string())?;
    }
    out.push_str("])");
    Ok(out)
}

fn spanned_string(value: Option<String>) -> String {
    match value {
        Some(text) => format!("Some(Spanned::compiled({text:?}.to_owned()))"),
        None => "None".to_owned(),
    }
}

fn string(value: Option<&Value>, key: &str) -> Result<Option<String>, String> {
    match value {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(format!("`{key}` is a string")),
    }
}

fn as_table<'v>(value: &'v Value, key: &str) -> Result<&'v Table, String> {
    value
        .as_table()
        .ok_or_else(|| format!("`{key}` is a table"))
}
