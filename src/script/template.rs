//! A message template compiled once, when its catalog loads: literal text and named placeholders
//! (`{order}`), rendered by pushing the pieces into a `String`.
//!
//! Values are written into the output as they are; nothing a customer typed is ever parsed, so
//! a name like `Rina {amount}` comes out verbatim.

use std::fmt;

/// The placeholders one kind of template knows, by name.
pub(crate) trait Placeholder: Copy + Eq + 'static {
    /// Every placeholder with the name written between the braces.
    const NAMES: &'static [(Self, &'static str)];
}

/// A compiled template: the literal pieces and the placeholders between them, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template<P> {
    segments: Vec<Segment<P>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment<P> {
    Text(Box<str>),
    Slot(P),
}

/// Why a template does not compile, and where: `character` counts from 1 in the template text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TemplateError {
    pub character: usize,
    pub kind: TemplateErrorKind,
}

/// What is wrong with a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TemplateErrorKind {
    /// A `{` without its `}`, or with something other than a name before it.
    Unclosed,
    /// `{}`.
    Empty,
    /// A `}` that closes nothing.
    UnmatchedClose,
    /// A name that is no placeholder of this kind of template.
    Unknown { name: String, allowed: String },
    /// A placeholder that exists, but not in this message.
    NotAllowed { name: String, allowed: String },
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.character;
        match &self.kind {
            TemplateErrorKind::Unclosed => write!(
                f,
                "the \"{{\" at character {at} is not closed: a placeholder is a name in braces, \
                 like {{order}}; write {{{{ for a brace"
            ),
            TemplateErrorKind::Empty => write!(
                f,
                "empty placeholder \"{{}}\" at character {at}; write {{{{}}}} for braces"
            ),
            TemplateErrorKind::UnmatchedClose => write!(
                f,
                "the \"}}\" at character {at} closes nothing; write }}}} for a brace"
            ),
            TemplateErrorKind::Unknown { name, allowed } => write!(
                f,
                "unknown placeholder {{{name}}} at character {at}; this message may use {allowed}"
            ),
            TemplateErrorKind::NotAllowed { name, allowed } => write!(
                f,
                "placeholder {{{name}}} at character {at} is not available in this message; it \
                 may use {allowed}"
            ),
        }
    }
}

impl<P: Placeholder> Template<P> {
    /// Compiles `source`, accepting only the placeholders `allowed` lets through.
    ///
    /// `{{` and `}}` stand for literal braces.
    pub fn parse(source: &str, allowed: impl Fn(P) -> bool) -> Result<Self, TemplateError> {
        let mut segments = Vec::new();
        let mut text = String::new();
        let mut chars = source.chars().enumerate().peekable();
        while let Some((index, c)) = chars.next() {
            let character = index + 1;
            match c {
                '{' if chars.next_if(|(_, next)| *next == '{').is_some() => text.push('{'),
                '}' if chars.next_if(|(_, next)| *next == '}').is_some() => text.push('}'),
                '}' => {
                    return Err(TemplateError {
                        character,
                        kind: TemplateErrorKind::UnmatchedClose,
                    });
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some((_, '}')) => break,
                            Some((_, c)) if c.is_ascii_alphanumeric() || c == '_' => name.push(c),
                            _ => {
                                return Err(TemplateError {
                                    character,
                                    kind: TemplateErrorKind::Unclosed,
                                });
                            }
                        }
                    }
                    let slot = Self::slot(&name, character, &allowed)?;
                    if !text.is_empty() {
                        segments.push(Segment::Text(std::mem::take(&mut text).into()));
                    }
                    segments.push(Segment::Slot(slot));
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            segments.push(Segment::Text(text.into()));
        }
        Ok(Template { segments })
    }

    fn slot(name: &str, character: usize, allowed: impl Fn(P) -> bool) -> Result<P, TemplateError> {
        if name.is_empty() {
            return Err(TemplateError {
                character,
                kind: TemplateErrorKind::Empty,
            });
        }
        let allowed_names = || {
            let names: Vec<String> = P::NAMES
                .iter()
                .filter(|(placeholder, _)| allowed(*placeholder))
                .map(|(_, name)| format!("{{{name}}}"))
                .collect();
            if names.is_empty() {
                "no placeholder".to_owned()
            } else {
                names.join(", ")
            }
        };
        let Some((slot, _)) = P::NAMES.iter().find(|(_, known)| *known == name) else {
            return Err(TemplateError {
                character,
                kind: TemplateErrorKind::Unknown {
                    name: name.to_owned(),
                    allowed: allowed_names(),
                },
            });
        };
        if !allowed(*slot) {
            return Err(TemplateError {
                character,
                kind: TemplateErrorKind::NotAllowed {
                    name: name.to_owned(),
                    allowed: allowed_names(),
                },
            });
        }
        Ok(*slot)
    }

    /// Writes the template: each literal piece as it is, each placeholder by `slot`.
    pub fn render(
        &self,
        out: &mut String,
        mut slot: impl FnMut(&mut String, P) -> fmt::Result,
    ) -> fmt::Result {
        for segment in &self.segments {
            match segment {
                Segment::Text(text) => out.push_str(text),
                Segment::Slot(placeholder) => slot(out, *placeholder)?,
            }
        }
        Ok(())
    }

    /// The literal pieces, without the placeholders.
    pub fn literals(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|segment| match segment {
            Segment::Text(text) => Some(&**text),
            Segment::Slot(_) => None,
        })
    }

    /// Whether the template uses a placeholder.
    pub fn uses(&self, placeholder: P) -> bool {
        self.segments.contains(&Segment::Slot(placeholder))
    }

    /// Whether the template says anything but blanks (a placeholder counts as something).
    pub fn is_blank(&self) -> bool {
        self.segments.iter().all(|segment| match segment {
            Segment::Text(text) => text.trim().is_empty(),
            Segment::Slot(_) => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Word {
        Name,
        Order,
    }

    impl Placeholder for Word {
        const NAMES: &'static [(Self, &'static str)] =
            &[(Word::Name, "name"), (Word::Order, "order")];
    }

    fn rendered(source: &str) -> String {
        let template = Template::<Word>::parse(source, |_| true).unwrap();
        let mut out = String::new();
        template
            .render(&mut out, |out, word| {
                out.push_str(match word {
                    Word::Name => "Rina {order}",
                    Word::Order => "{{3449}}",
                });
                Ok(())
            })
            .unwrap();
        out
    }

    fn error(source: &str) -> TemplateError {
        Template::<Word>::parse(source, |word| word == Word::Order).unwrap_err()
    }

    #[test]
    fn placeholders_are_replaced_and_values_are_never_parsed() {
        assert_eq!(
            rendered("Hi {name}, order {order}."),
            "Hi Rina {order}, order {{3449}}."
        );
        assert_eq!(rendered("{name}{order}"), "Rina {order}{{3449}}");
        assert_eq!(rendered("no placeholder"), "no placeholder");
        assert_eq!(rendered(""), "");
    }

    #[test]
    fn doubled_braces_are_literal_braces() {
        assert_eq!(rendered("{{name}} is {name}"), "{name} is Rina {order}");
        assert_eq!(rendered("a }} b {{"), "a } b {");
    }

    #[test]
    fn malformed_templates_say_what_and_where() {
        assert_eq!(error("Hi {order").kind, TemplateErrorKind::Unclosed);
        assert_eq!(error("Hi {order").character, 4);
        assert_eq!(error("Hi {or der}").kind, TemplateErrorKind::Unclosed);
        assert_eq!(error("ab {}").kind, TemplateErrorKind::Empty);
        assert_eq!(error("ab {}").character, 4);
        assert_eq!(error("ab } c").kind, TemplateErrorKind::UnmatchedClose);
        assert_eq!(error("ab } c").character, 4);
        // Characters, not bytes: the "é" counts once.
        assert_eq!(error("é {x}").character, 3);
        assert!(matches!(
            error("é {x}").kind,
            TemplateErrorKind::Unknown { name, allowed } if name == "x" && allowed == "{order}"
        ));
        assert!(matches!(
            error("{name}").kind,
            TemplateErrorKind::NotAllowed { name, .. } if name == "name"
        ));
    }

    #[test]
    fn blank_templates_are_told_apart() {
        let blank = Template::<Word>::parse("  ", |_| true).unwrap();
        assert!(blank.is_blank());
        let slot = Template::<Word>::parse(" {order} ", |_| true).unwrap();
        assert!(!slot.is_blank());
        assert_eq!(slot.literals().collect::<Vec<_>>(), [" ", " "]);
    }
}
