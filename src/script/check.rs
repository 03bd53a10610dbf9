//! Checking a catalog file and merging it into a locale's catalog.
//!
//! A file names its locale. For a locale already loaded it overrides what it gives and keeps the
//! rest; for a new locale it must give everything. Every message is compiled here, once, and
//! every problem of the file is reported at once.

use std::ops::Range;

use super::amount::AmountFormat;
use super::catalog::{Catalog, Count, DatePart, Message, Terms};
use super::file::{AddressFile, CatalogFile, FormatFile, MessageText, Spanned, TermsFile};
use super::message::{MessageId, Section, Slot};
use super::template::{Placeholder, Template, TemplateError, TemplateErrorKind};
use crate::{AddressForm, Alternative, Code, Currency, Flag, Locale, Reason};
use crate::{CatalogError, CatalogProblem};

/// Words a script never says: they accuse the customer (DESIGN.md, "kind to the customer").
const ACCUSING: [&str; 7] = [
    "abuse",
    "fraud",
    "hunter",
    "suspicious",
    "penyalahgunaan",
    "curang",
    "pemburu",
];

/// A catalog file read and its locale known, ready to merge into the locale's catalog.
pub(crate) struct CatalogSource<'s> {
    file: &'s str,
    text: &'s str,
    content: CatalogFile,
    locale: Locale,
}

impl<'s> CatalogSource<'s> {
    /// A catalog the build compiled into the crate from the shipped file `file`.
    pub fn compiled(file: &'s str, content: CatalogFile) -> Result<Self, CatalogError> {
        CatalogSource::of(file, "", content)
    }

    /// Reads a catalog file's text; `file` names it in errors.
    #[cfg(feature = "toml")]
    pub fn read(file: &'s str, text: &'s str) -> Result<Self, CatalogError> {
        let content: CatalogFile = toml::from_str(text).map_err(|error| CatalogError::Syntax {
            file: file.to_owned(),
            message: error.to_string().trim_end().to_owned(),
        })?;
        CatalogSource::of(file, text, content)
    }

    fn of(file: &'s str, text: &'s str, content: CatalogFile) -> Result<Self, CatalogError> {
        let locale = content
            .locale
            .get_ref()
            .parse::<Locale>()
            .map_err(|error| {
                let mut check = Checker::new(file, text, false);
                check.problem(
                    "locale",
                    Some(content.locale.span()),
                    None,
                    error.to_string(),
                );
                check.into_error()
            })?;
        Ok(CatalogSource {
            file,
            text,
            content,
            locale,
        })
    }

    /// The locale the file is for.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// The locale's catalog with this file's messages and settings over `base` (the catalog
    /// loaded so far for the locale, if any), checked and compiled.
    pub fn merge(self, base: Option<&Catalog>) -> Result<Catalog, CatalogError> {
        let CatalogSource {
            file,
            text,
            content,
            locale,
        } = self;
        let mut check = Checker::new(file, text, base.is_none());
        let terms = check.terms(&content.address, base.and_then(|b| b.terms.clone()));
        let honorifics =
            check.honorifics(&content.address, base.and_then(|b| b.honorifics.clone()));
        let amount = check.amount(&content.format, base.map(|b| &b.amount));
        let date = check.date(&content.format, base.map(|b| &b.date));
        let months = check.months(&content.format, base.map(|b| &b.months));
        let durations = check.durations(&content.format, base.map(|b| &b.durations));
        let issues = check.issues(&content, base.map(|b| &b.issues));
        let messages = check.messages(&content, base, terms.is_some());
        let default_address = content
            .default_address
            .or(base.map(|b| b.default_address))
            .unwrap_or_default();
        match (amount, date, months, durations, issues, messages) {
            (
                Some(amount),
                Some(date),
                Some(months),
                Some(durations),
                Some(issues),
                Some(messages),
            ) if check.problems.is_empty() => Ok(Catalog {
                locale,
                default_address,
                terms,
                honorifics,
                amount,
                date,
                months,
                durations,
                issues,
                messages,
            }),
            _ => Err(check.into_error()),
        }
    }
}

/// Collects the problems of one file while building its catalog.
struct Checker<'s> {
    file: &'s str,
    text: &'s str,
    /// The file starts a locale, so it must give everything.
    new_locale: bool,
    problems: Vec<CatalogProblem>,
}

impl<'s> Checker<'s> {
    fn new(file: &'s str, text: &'s str, new_locale: bool) -> Self {
        Checker {
            file,
            text,
            new_locale,
            problems: Vec::new(),
        }
    }

    fn into_error(mut self) -> CatalogError {
        // In the order of the file; what is missing comes last.
        self.problems
            .sort_by_key(|problem| problem.line.unwrap_or(usize::MAX));
        CatalogError::Invalid {
            file: self.file.to_owned(),
            problems: self.problems,
        }
    }

    fn problem(
        &mut self,
        key: impl Into<String>,
        span: Option<Range<usize>>,
        character: Option<usize>,
        message: impl Into<String>,
    ) {
        let line = span.map(|span| {
            let before = self.text.get(..span.start).unwrap_or_default();
            before.bytes().filter(|b| *b == b'\n').count() + 1
        });
        self.problems.push(CatalogProblem {
            file: self.file.to_owned(),
            key: key.into(),
            line,
            character,
            message: message.into(),
        });
    }

    /// Reports a setting a new locale must give.
    fn missing(&mut self, key: impl Into<String>) {
        self.problem(
            key,
            None,
            None,
            "missing: a file that adds a locale gives every message and setting",
        );
    }

    /// The forms of address: all four words (title and you, familiar and formal), or none.
    fn terms(&mut self, file: &AddressFile, base: Option<[Terms; 2]>) -> Option<[Terms; 2]> {
        let mut words: [[Option<Box<str>>; 2]; 2] = match base {
            Some([familiar, formal]) => [
                [Some(familiar.title), Some(familiar.you)],
                [Some(formal.title), Some(formal.you)],
            ],
            None => Default::default(),
        };
        for form in AddressForm::ALL {
            let Some(given) = file.form(form) else {
                continue;
            };
            for (slot, (name, word)) in [("title", &given.title), ("you", &given.you)]
                .into_iter()
                .enumerate()
            {
                let Some(word) = word else { continue };
                let key = format!("address.{form}.{name}");
                // A title may be empty: the customer is then greeted by name alone.
                if name == "you" && word.get_ref().trim().is_empty() {
                    self.problem(&key, Some(word.span()), None, "is blank");
                    continue;
                }
                self.words(&key, word.span(), word.get_ref());
                if let Some(place) = words.get_mut(form.index()).and_then(|w| w.get_mut(slot)) {
                    *place = Some(word.get_ref().as_str().into());
                }
            }
        }
        match words {
            [
                [Some(title), Some(you)],
                [Some(formal_title), Some(formal_you)],
            ] => Some([
                Terms { title, you },
                Terms {
                    title: formal_title,
                    you: formal_you,
                },
            ]),
            [[None, None], [None, None]] => None,
            words => {
                for (form, pair) in AddressForm::ALL.iter().zip(words) {
                    for (name, word) in ["title", "you"].into_iter().zip(pair) {
                        if word.is_none() {
                            self.problem(
                                format!("address.{form}.{name}"),
                                None,
                                None,
                                "missing: forms of address give a title and a you for both the \
                                 familiar and the formal form",
                            );
                        }
                    }
                }
                None
            }
        }
    }

    /// The formal form's words for a customer of each honorific (`bapak`, `ibu`): both, or
    /// neither.
    fn honorifics(&mut self, file: &AddressFile, base: Option<[Terms; 2]>) -> Option<[Terms; 2]> {
        let mut read = |name: &str, given: Option<&TermsFile>, base: Option<Terms>| {
            let Some(given) = given else {
                return base;
            };
            let mut word = |part: &str, word: &Option<Spanned<String>>, base: Option<Box<str>>| {
                let key = format!("address.{name}.{part}");
                match word {
                    Some(word) if word.get_ref().trim().is_empty() => {
                        self.problem(key, Some(word.span()), None, "is blank");
                        None
                    }
                    Some(word) => {
                        self.words(&key, word.span(), word.get_ref());
                        Some(word.get_ref().as_str().into())
                    }
                    None if base.is_none() => {
                        self.problem(
                            key,
                            None,
                            None,
                            "missing: an honorific gives a title and a you",
                        );
                        None
                    }
                    None => base,
                }
            };
            let title = word(
                "title",
                &given.title,
                base.as_ref().map(|b| b.title.clone()),
            );
            let you = word("you", &given.you, base.map(|b| b.you));
            Some(Terms {
                title: title?,
                you: you?,
            })
        };
        let (bapak_base, ibu_base) = match base {
            Some([bapak, ibu]) => (Some(bapak), Some(ibu)),
            None => (None, None),
        };
        let bapak = read("bapak", file.bapak.as_ref(), bapak_base);
        let ibu = read("ibu", file.ibu.as_ref(), ibu_base);
        match (bapak, ibu) {
            (Some(bapak), Some(ibu)) => Some([bapak, ibu]),
            (None, None) => None,
            (bapak, _) => {
                let missing = if bapak.is_none() { "bapak" } else { "ibu" };
                self.problem(
                    format!("address.{missing}"),
                    None,
                    None,
                    "missing: the honorifics give both `bapak` and `ibu`, or neither",
                );
                None
            }
        }
    }

    /// The lengths of time: each unit's template, over the base catalog's.
    fn durations(
        &mut self,
        file: &FormatFile,
        base: Option<&[Template<Count>; 6]>,
    ) -> Option<[Template<Count>; 6]> {
        let mut complete = true;
        let mut durations: Vec<Template<Count>> = Vec::with_capacity(6);
        for (index, (name, given)) in file.durations().into_iter().enumerate() {
            let key = format!("format.{name}");
            let base = base.and_then(|base| base.get(index)).cloned();
            let template = match given {
                None => {
                    if base.is_none() {
                        self.missing(&key);
                    }
                    base
                }
                Some(given) => match Template::parse(given.get_ref(), |_| true) {
                    Ok(template) if template.is_blank() => {
                        self.problem(&key, Some(given.span()), None, "is blank");
                        None
                    }
                    Ok(template) => {
                        for literal in template.literals() {
                            self.words(&key, given.span(), literal);
                        }
                        Some(template)
                    }
                    Err(error) => {
                        self.template_problem(&key, given.span(), &error, false);
                        None
                    }
                },
            };
            match template {
                Some(template) => durations.push(template),
                None => complete = false,
            }
        }
        if !complete {
            return None;
        }
        <[Template<Count>; 6]>::try_from(durations).ok()
    }

    /// The labels of the complaint categories, over the base catalog's; `other` is required.
    fn issues(
        &mut self,
        file: &CatalogFile,
        base: Option<&Vec<(Box<str>, Box<str>)>>,
    ) -> Option<Vec<(Box<str>, Box<str>)>> {
        let mut issues = base.cloned().unwrap_or_default();
        for (category, label) in &file.issues {
            let key = format!("issues.{category}");
            if label.get_ref().trim().is_empty() {
                self.problem(&key, Some(label.span()), None, "is blank");
                continue;
            }
            self.words(&key, label.span(), label.get_ref());
            let label: Box<str> = label.get_ref().as_str().into();
            match issues.iter_mut().find(|(known, _)| **known == **category) {
                Some((_, known)) => *known = label,
                None => issues.push((category.as_str().into(), label)),
            }
        }
        if !issues.iter().any(|(category, _)| &**category == "other") {
            if self.new_locale {
                self.missing("issues.other");
            }
            return None;
        }
        Some(issues)
    }

    fn amount(&mut self, file: &FormatFile, base: Option<&AmountFormat>) -> Option<AmountFormat> {
        let thousands = self.separator(
            "format.thousands_separator",
            file.thousands_separator.as_ref(),
            base.map(|b| b.thousands),
        );
        let decimal = self.separator(
            "format.decimal_separator",
            file.decimal_separator.as_ref(),
            base.map(|b| b.decimal),
        );
        let mut prefixes = base.map(|b| b.prefixes.clone()).unwrap_or_default();
        for (code, prefix) in &file.amount_prefix {
            let key = format!("format.amount_prefix.{code}");
            match code.parse::<Currency>() {
                Ok(currency) => {
                    self.words(&key, prefix.span(), prefix.get_ref());
                    let prefix: Box<str> = prefix.get_ref().as_str().into();
                    match prefixes.iter_mut().find(|(listed, _)| *listed == currency) {
                        Some((_, listed)) => *listed = prefix,
                        None => prefixes.push((currency, prefix)),
                    }
                }
                Err(error) => self.problem(key, Some(prefix.span()), None, error.to_string()),
            }
        }
        let (thousands, decimal) = (thousands?, decimal?);
        if thousands == decimal {
            let span = file
                .decimal_separator
                .as_ref()
                .or(file.thousands_separator.as_ref())
                .map(Spanned::span);
            self.problem(
                "format.decimal_separator",
                span,
                None,
                format!("{decimal:?} is also the thousands separator"),
            );
            return None;
        }
        Some(AmountFormat {
            thousands,
            decimal,
            prefixes,
        })
    }

    fn separator(
        &mut self,
        key: &str,
        given: Option<&Spanned<String>>,
        base: Option<char>,
    ) -> Option<char> {
        let Some(given) = given else {
            if base.is_none() {
                self.missing(key);
            }
            return base;
        };
        let mut chars = given.get_ref().chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_alphanumeric() && !c.is_control() => Some(c),
            _ => {
                self.problem(
                    key,
                    Some(given.span()),
                    None,
                    format!(
                        "{:?} is not a separator: one character, not a letter or a digit",
                        given.get_ref()
                    ),
                );
                None
            }
        }
    }

    fn date(
        &mut self,
        file: &FormatFile,
        base: Option<&Template<DatePart>>,
    ) -> Option<Template<DatePart>> {
        let key = "format.date";
        let Some(given) = &file.date else {
            if base.is_none() {
                self.missing(key);
            }
            return base.cloned();
        };
        let date = match Template::parse(given.get_ref(), |_| true) {
            Ok(date) => date,
            Err(error) => {
                self.template_problem(key, given.span(), &error, false);
                return None;
            }
        };
        let missing: Vec<String> = DatePart::NAMES
            .iter()
            .filter(|(part, _)| !date.uses(*part))
            .map(|(_, name)| format!("{{{name}}}"))
            .collect();
        if !missing.is_empty() {
            self.problem(
                key,
                Some(given.span()),
                None,
                format!(
                    "a date shows {{day}}, {{month}} and {{year}}; this one has no {}",
                    missing.join(" nor ")
                ),
            );
            return None;
        }
        Some(date)
    }

    fn months(
        &mut self,
        file: &FormatFile,
        base: Option<&[Box<str>; 12]>,
    ) -> Option<[Box<str>; 12]> {
        let key = "format.months";
        let Some(given) = &file.months else {
            if base.is_none() {
                self.missing(key);
            }
            return base.cloned();
        };
        let names: Vec<Box<str>> = given.get_ref().iter().map(|m| m.as_str().into()).collect();
        let count = names.len();
        if names.iter().any(|name| name.trim().is_empty()) {
            self.problem(key, Some(given.span()), None, "a month name is blank");
            return None;
        }
        for name in &names {
            self.words(key, given.span(), name);
        }
        match <[Box<str>; 12]>::try_from(names) {
            Ok(months) => Some(months),
            Err(_) => {
                self.problem(
                    key,
                    Some(given.span()),
                    None,
                    format!("{count} month names; a year has 12, January first"),
                );
                None
            }
        }
    }

    /// Every message: the file's compiled over the base catalog's.
    fn messages(
        &mut self,
        file: &CatalogFile,
        base: Option<&Catalog>,
        has_terms: bool,
    ) -> Option<Vec<Message>> {
        let mut messages: Vec<Option<Message>> = match base {
            Some(base) => base.messages.iter().cloned().map(Some).collect(),
            None => vec![None; MessageId::COUNT],
        };
        for section in Section::ALL {
            for (key, text) in file.section(section) {
                let name = format!("{}.{key}", section.name());
                let Some(id) = MessageId::find(section, key) else {
                    let known: Vec<&str> = MessageId::ALL
                        .iter()
                        .filter(|id| id.section() == section)
                        .map(|id| id.key())
                        .collect();
                    self.problem(
                        name,
                        Some(text.span()),
                        None,
                        format!(
                            "unknown message; [{}] has: {}",
                            section.name(),
                            known.join(", ")
                        ),
                    );
                    continue;
                };
                let compiled = self.message(&name, id, text, has_terms);
                if let Some(place) = messages.get_mut(id.index()) {
                    *place = compiled;
                }
            }
        }
        let mut complete = Vec::with_capacity(MessageId::COUNT);
        for (id, message) in MessageId::ALL.iter().zip(messages) {
            match message {
                Some(message) => complete.push(message),
                // Only a new locale can lack a message; a message that did not compile is
                // reported already.
                None if self.new_locale && !self.mentions(*id, file) => {
                    self.missing(format!("{}.{}", id.section().name(), id.key()));
                }
                None => {}
            }
        }
        (complete.len() == MessageId::COUNT).then_some(complete)
    }

    fn mentions(&self, id: MessageId, file: &CatalogFile) -> bool {
        file.section(id.section()).contains_key(id.key())
    }

    fn message(
        &mut self,
        name: &str,
        id: MessageId,
        text: &Spanned<MessageText>,
        has_terms: bool,
    ) -> Option<Message> {
        let span = text.span();
        match text.get_ref() {
            MessageText::Same(source) => {
                let template = self.template(name, span, id, source, has_terms)?;
                Some(Message {
                    forms: [template.clone(), template],
                })
            }
            MessageText::ByForm { familiar, formal } => {
                let mut compile = |form: AddressForm, source: &Option<String>| {
                    let key = format!("{name}.{form}");
                    match source {
                        Some(source) => self.template(&key, span.clone(), id, source, has_terms),
                        None => {
                            self.problem(
                                key,
                                Some(span.clone()),
                                None,
                                "missing: a message written per form of address gives both \
                                 familiar and formal",
                            );
                            None
                        }
                    }
                };
                let familiar = compile(AddressForm::Familiar, familiar);
                let formal = compile(AddressForm::Formal, formal);
                Some(Message {
                    forms: [familiar?, formal?],
                })
            }
        }
    }

    fn template(
        &mut self,
        key: &str,
        span: Range<usize>,
        id: MessageId,
        source: &str,
        has_terms: bool,
    ) -> Option<Template<Slot>> {
        let addressed = |slot| matches!(slot, Slot::Title | Slot::You);
        let allowed = |slot| id.slots().contains(slot) && (has_terms || !addressed(slot));
        match Template::parse(source, allowed) {
            Ok(template) if template.is_blank() => {
                self.problem(
                    key,
                    Some(span),
                    None,
                    "is blank: every message says something",
                );
                None
            }
            Ok(template) => {
                for literal in template.literals() {
                    self.words(key, span.clone(), literal);
                }
                Some(template)
            }
            Err(error) => {
                let no_terms = !has_terms
                    && matches!(&error.kind, TemplateErrorKind::NotAllowed { name, .. }
                        if name == "title" || name == "you");
                self.template_problem(key, span, &error, no_terms);
                None
            }
        }
    }

    fn template_problem(
        &mut self,
        key: &str,
        span: Range<usize>,
        error: &TemplateError,
        no_terms: bool,
    ) {
        let mut message = error.to_string();
        if no_terms {
            message.push_str(
                " (the catalog names no forms of address: give [address.familiar] and \
                 [address.formal])",
            );
        }
        self.problem(key, Some(span), Some(error.character), message);
    }

    /// Reports text that accuses the customer or names an internal code.
    fn words(&mut self, key: &str, span: Range<usize>, text: &str) {
        let lower = text.to_lowercase();
        let accusing = ACCUSING
            .into_iter()
            .map(|word| (word, "a script never accuses the customer"));
        let codes = Reason::ALL
            .iter()
            .map(Code::as_str)
            .chain(Flag::ALL.iter().map(Code::as_str))
            .chain(Alternative::ALL.iter().map(Code::as_str))
            .filter(|code| code.contains('_'))
            .map(|code| (code, "a script never names an internal code"));
        for (word, why) in accusing.chain(codes) {
            if lower.contains(word) {
                self.problem(
                    key,
                    Some(span.clone()),
                    None,
                    format!("says {word:?}: {why}"),
                );
            }
        }
    }
}
