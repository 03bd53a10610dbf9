//! Names and ids: ordinary, empty, unicode in every script, control characters, anything.

use proptest::prelude::*;
use proptest::sample::select;

/// Text a customer or a system might put in a name or an id: ordinary, empty, unicode in every
/// script, control characters, bidi overrides, placeholder-looking text, banned words, and
/// anything at all.
pub fn text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(vec![
            "Budi Santoso".to_owned(),
            "Sari".to_owned(),
            String::new(),
            " ".to_owned(),
            "Đặng Thị Hồng".to_owned(),
            "山田太郎".to_owned(),
            "Дмитрий".to_owned(),
            "محمد".to_owned(),
            "🙂🎉👨‍👩‍👧".to_owned(),
            "a\u{0}b".to_owned(),
            "\u{202e}olleh".to_owned(),
            "line\nbreak\ttab\r".to_owned(),
            "{name}".to_owned(),
            "{{amount}} %s %d".to_owned(),
            "<script>alert(1)</script>".to_owned(),
            "\"quoted\" \\ back".to_owned(),
            "Rp50.000".to_owned(),
            "\u{feff}\u{200b}".to_owned(),
            "\u{7f}\u{1b}[31m".to_owned(),
            "x".repeat(1_000),
        ]),
        2 => any::<String>(),
        2 => "[A-Za-z0-9 ._-]{0,24}",
    ]
    .boxed()
}

/// Text a request may carry as a name or an id: [`text`] without its control characters and
/// line breaks, and never blank (a blank one gets a letter in front).
pub fn carried_text() -> BoxedStrategy<String> {
    text().prop_map(|text| carried(&text)).boxed()
}

/// `text` as a request may carry it: see [`carried_text`].
pub fn carried(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|character| {
            !character.is_control() && !matches!(character, '\u{2028}' | '\u{2029}')
        })
        .collect();
    if kept.trim().is_empty() {
        format!("x{kept}")
    } else {
        kept
    }
}

/// An order id: a few that history entries reuse (so an order is sometimes compensated
/// already), or any text a request may carry.
pub fn order_id() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(vec![
            "3449".to_owned(),
            "3401".to_owned(),
            "3449 ".to_owned(),
            "03449".to_owned(),
            " 3449".to_owned(),
            "ø".to_owned(),
        ]),
        1 => carried_text(),
    ]
    .boxed()
}
