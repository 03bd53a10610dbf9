//! The set of catalogs an engine writes scripts from: the shipped ones, and a company's own.

use std::fmt;
#[cfg(feature = "toml")]
use std::path::Path;
use std::sync::{Arc, LazyLock};

use super::catalog::Catalog;
use super::check::CatalogSource;
use crate::CatalogError;
use crate::{AddressForm, Locale};

/// The shipped catalogs, compiled into the crate by the build from `catalogs/*.toml`: the file
/// name (for errors) and its content.
mod shipped {
    use std::collections::BTreeMap;

    use crate::AddressForm;
    use crate::script::file::{
        AddressFile, CatalogFile, FormatFile, MessageText, SectionFile, Spanned, TermsFile,
    };

    include!(concat!(env!("OUT_DIR"), "/shipped_catalogs.rs"));
}

/// The shipped catalogs, compiled once for the whole process.
static BUILTIN: LazyLock<Scripts> = LazyLock::new(|| {
    // The shipped files are checked by the test suite (`the_shipped_catalogs_load`); should one
    // ever fail, every decision reports that its locale has no catalog instead of panicking.
    Scripts::load_shipped().unwrap_or_else(|_| Scripts::none())
});

/// The script catalogs an [`Engine`](crate::Engine) writes from: for each locale, every message
/// a script can be made of, the forms of address, and how money and dates are written.
///
/// [`Scripts::builtin`] holds the shipped catalogs, Indonesian (`id`) and English (`en`),
/// embedded in the crate. A company makes the scripts its own by loading catalog files over
/// them: a file for a locale already loaded overrides the messages it gives and keeps the rest;
/// a file for a new locale adds the language, and must give everything. Every file is checked
/// and compiled once, when it loads; a problem is a [`CatalogError`] naming the file, the
/// message and the position. Rendering a script never parses anything.
///
/// Cloning is cheap (the catalogs are shared), and a `Scripts` is `Send + Sync`.
///
/// ```
/// use voucher_policy::{Engine, Locale, Policy, Scripts};
///
/// let ours = r#"
/// locale = "id"
/// default_address = "formal"
///
/// [closing]
/// further_help = "Ada lagi yang bisa kami bantu hari ini, {title}?"
/// "#;
/// let scripts = Scripts::builtin().with_toml_str("ours.toml", ours)?;
/// let locales: Vec<Locale> = scripts.locales().collect();
/// assert_eq!(locales, [Locale::ID, Locale::EN]);
/// let engine = Engine::with_scripts(Policy::default(), scripts);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Scripts {
    catalogs: Arc<Vec<Catalog>>,
}

impl Scripts {
    /// The shipped catalogs: Indonesian (`id`, the default locale, familiar `Kak` by default)
    /// and English (`en`).
    pub fn builtin() -> Scripts {
        BUILTIN.clone()
    }

    fn none() -> Scripts {
        Scripts {
            catalogs: Arc::new(Vec::new()),
        }
    }

    fn load_shipped() -> Result<Scripts, CatalogError> {
        shipped::shipped()
            .into_iter()
            .try_fold(Scripts::none(), |scripts, (file, content)| {
                scripts.with_source(CatalogSource::compiled(file, content)?)
            })
    }

    /// These scripts with a catalog file's text loaded over them; `file` names the text in
    /// errors.
    ///
    /// The text's `locale` says which catalog it is for: a locale already loaded takes the
    /// messages and settings the text gives and keeps the rest; a new locale must be complete.
    #[cfg(feature = "toml")]
    #[cfg_attr(docsrs, doc(cfg(feature = "toml")))]
    pub fn with_toml_str(self, file: &str, text: &str) -> Result<Scripts, CatalogError> {
        self.with_source(CatalogSource::read(file, text)?)
    }

    fn with_source(self, source: CatalogSource<'_>) -> Result<Scripts, CatalogError> {
        let locale = source.locale();
        let catalog = source.merge(self.catalog(locale))?;
        let mut catalogs = Arc::unwrap_or_clone(self.catalogs);
        match catalogs.iter_mut().find(|known| known.locale == locale) {
            Some(known) => *known = catalog,
            None => catalogs.push(catalog),
        }
        Ok(Scripts {
            catalogs: Arc::new(catalogs),
        })
    }

    /// These scripts with a catalog file loaded over them (see [`Scripts::with_toml_str`]).
    #[cfg(feature = "toml")]
    #[cfg_attr(docsrs, doc(cfg(feature = "toml")))]
    pub fn with_file(self, path: impl AsRef<Path>) -> Result<Scripts, CatalogError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| CatalogError::Io {
            path: path.display().to_string(),
            source,
        })?;
        self.with_toml_str(&path.display().to_string(), &text)
    }

    /// These scripts with every `*.toml` file of a directory loaded over them, in the order of
    /// their names; the first file that does not load stops the loading and is the error.
    #[cfg(feature = "toml")]
    #[cfg_attr(docsrs, doc(cfg(feature = "toml")))]
    pub fn with_dir(self, dir: impl AsRef<Path>) -> Result<Scripts, CatalogError> {
        let dir = dir.as_ref();
        let io = |source| CatalogError::Io {
            path: dir.display().to_string(),
            source,
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.is_file() && path.extension().is_some_and(|ext| ext == "toml") {
                files.push(path);
            }
        }
        files.sort();
        files.iter().try_fold(self, Scripts::with_file)
    }

    /// The locales there is a catalog for, in the order they were loaded.
    pub fn locales(&self) -> impl Iterator<Item = Locale> + '_ {
        self.catalogs.iter().map(|catalog| catalog.locale)
    }

    /// The form of address a locale's scripts use when a request does not ask for one; `None`
    /// when there is no catalog for the locale.
    pub fn default_address(&self, locale: Locale) -> Option<AddressForm> {
        self.catalog(locale).map(|catalog| catalog.default_address)
    }

    /// Whether a locale's catalog words the familiar and the formal form differently (the
    /// shipped Indonesian one does; the shipped English one does not).
    pub fn distinguishes_address(&self, locale: Locale) -> bool {
        self.catalog(locale).is_some_and(|catalog| {
            catalog.terms.is_some()
                || catalog.messages.iter().any(|message| {
                    let [familiar, formal] = &message.forms;
                    familiar != formal
                })
        })
    }

    /// The catalog for a locale.
    pub(crate) fn catalog(&self, locale: Locale) -> Option<&Catalog> {
        self.catalogs
            .iter()
            .find(|catalog| catalog.locale == locale)
    }
}

impl Default for Scripts {
    /// The shipped catalogs ([`Scripts::builtin`]).
    fn default() -> Self {
        Scripts::builtin()
    }
}

impl fmt::Debug for Scripts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scripts")
            .field("locales", &self.locales().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogs_load() {
        let scripts = Scripts::load_shipped().unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            scripts.locales().collect::<Vec<_>>(),
            [Locale::ID, Locale::EN]
        );
    }

    /// The build transcribes the shipped files; read at run time, they make the same catalogs.
    #[cfg(feature = "toml")]
    #[test]
    fn the_compiled_catalogs_are_the_shipped_files() {
        let files = [
            ("catalogs/id.toml", include_str!("../../catalogs/id.toml")),
            ("catalogs/en.toml", include_str!("../../catalogs/en.toml")),
        ];
        let read = files
            .iter()
            .try_fold(Scripts::none(), |scripts, (file, text)| {
                scripts.with_toml_str(file, text)
            })
            .unwrap_or_else(|error| panic!("{error}"));
        let compiled = Scripts::builtin();
        assert_eq!(read.catalogs.len(), 2);
        for (read, compiled) in read.catalogs.iter().zip(compiled.catalogs.iter()) {
            assert_eq!(format!("{read:?}"), format!("{compiled:?}"));
        }
    }
}
