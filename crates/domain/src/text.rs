//! Text: what exists in Finnish, Swedish and English (such as the name of a site), names, and the
//! enums whose values have a stable `snake_case` key (in the API, the database and translations).

use crate::{InvalidValue, Language};

/// A name or short text in fi/sv/en. At least one language must be given; a missing one falls
/// back to the other national language first, then English, so a Swedish hub without a Finnish
/// name still shows its Swedish name in the Finnish interface.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct LocalizedText {
    #[serde(default)]
    pub fi: String,
    #[serde(default)]
    pub sv: String,
    #[serde(default)]
    pub en: String,
}

impl LocalizedText {
    /// Trims every language and checks that at least one is given and none is too long.
    pub fn new(fi: &str, sv: &str, en: &str, field: &'static str) -> Result<Self, InvalidValue> {
        let text = Self { fi: fi.trim().to_owned(), sv: sv.trim().to_owned(), en: en.trim().to_owned() };
        text.validate(field)?;
        Ok(text)
    }

    /// The same text in all three languages (a proper name that is not translated).
    pub fn same(name: &str, field: &'static str) -> Result<Self, InvalidValue> {
        Self::new(name, name, name, field)
    }

    pub fn validate(&self, field: &'static str) -> Result<(), InvalidValue> {
        if self.fi.trim().is_empty() && self.sv.trim().is_empty() && self.en.trim().is_empty() {
            return Err(InvalidValue::new(field, "give the text in at least one of fi, sv, en"));
        }
        for s in [&self.fi, &self.sv, &self.en] {
            if s.chars().count() > 200 {
                return Err(InvalidValue::new(field, "longer than 200 characters"));
            }
            crate::check_plain_text(s, field)?;
        }
        Ok(())
    }

    /// Checks a longer text that may be left out altogether (every language empty), such as a
    /// site's terms of use: each language at most `max_chars` characters, line breaks allowed,
    /// other control characters not.
    pub fn validate_long(&self, field: &'static str, max_chars: usize) -> Result<(), InvalidValue> {
        for s in [&self.fi, &self.sv, &self.en] {
            if s.chars().count() > max_chars {
                return Err(InvalidValue::new(field, format!("longer than {max_chars} characters")));
            }
            if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
                return Err(InvalidValue::new(field, "control characters other than line breaks are not allowed"));
            }
        }
        Ok(())
    }

    /// The text in `language`, or the nearest fallback that exists.
    pub fn get(&self, language: Language) -> &str {
        self.resolve(language).map_or("", |(_, text)| text)
    }

    /// The text in `language`, or the nearest fallback that exists, with the language it is in
    /// (so that a page can mark a Swedish text shown in the Finnish interface as Swedish).
    pub fn resolve(&self, language: Language) -> Option<(Language, &str)> {
        let order = match language {
            Language::Fi => [(Language::Fi, &self.fi), (Language::Sv, &self.sv), (Language::En, &self.en)],
            Language::Sv => [(Language::Sv, &self.sv), (Language::Fi, &self.fi), (Language::En, &self.en)],
            Language::En => [(Language::En, &self.en), (Language::Fi, &self.fi), (Language::Sv, &self.sv)],
        };
        order.into_iter().find(|(_, s)| !s.is_empty()).map(|(l, s)| (l, s.as_str()))
    }
}

/// Checks a display name: 1-200 characters after trimming.
pub fn parse_name(s: &str, field: &'static str) -> Result<String, InvalidValue> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > 200 {
        return Err(InvalidValue::new(field, "a name has 1 to 200 characters"));
    }
    crate::check_plain_text(s, field)?;
    Ok(s.to_owned())
}

/// An enum whose values have a stable `snake_case` key, used in the API, the database and
/// translations; `$field` names the field an unknown key is refused for.
macro_rules! keyed_enum {
    ($(#[$doc:meta])* $name:ident, $field:literal { $($variant:ident => $key:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stable `snake_case` key used in the API, the database and translations.
            pub const fn key(self) -> &'static str {
                match self {
                    $(Self::$variant => $key),+
                }
            }

            pub fn from_key(key: &str) -> Result<Self, InvalidValue> {
                match key.trim() {
                    $($key => Ok(Self::$variant),)+
                    other => Err(InvalidValue::new($field, format!("unknown value `{other}`"))),
                }
            }
        }
    };
}
pub(crate) use keyed_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_the_other_national_language() {
        let name = LocalizedText::new("", "Östersunds kontor", "", "name").unwrap();
        assert_eq!(name.get(Language::Fi), "Östersunds kontor");
        assert_eq!(name.get(Language::En), "Östersunds kontor");
    }

    #[test]
    fn says_which_language_a_fallback_is_in() {
        let terms = LocalizedText { sv: "Villkor".into(), ..LocalizedText::default() };
        assert_eq!(terms.resolve(Language::Fi), Some((Language::Sv, "Villkor")));
        assert_eq!(LocalizedText::default().resolve(Language::En), None);
    }

    #[test]
    fn a_long_text_may_be_empty_or_have_paragraphs_but_not_other_control_characters() {
        assert!(LocalizedText::default().validate_long("terms", 10).is_ok());
        let paragraphs = LocalizedText { en: "One.\r\n\r\nTwo.".into(), ..LocalizedText::default() };
        assert!(paragraphs.validate_long("terms", 100).is_ok());
        assert!(paragraphs.validate_long("terms", 5).is_err());
        let escape = LocalizedText { fi: "a\u{1b}[31m".into(), ..LocalizedText::default() };
        assert_eq!(escape.validate_long("terms", 100).unwrap_err().field, "terms");
    }

    #[test]
    fn refuses_names_with_control_characters() {
        assert!(parse_name("Anna\u{0}", "name").is_err());
        assert!(parse_name("Anna\nLindqvist", "name").is_err());
        assert_eq!(parse_name(" Åsa Öberg ", "name").unwrap(), "Åsa Öberg");
    }

    #[test]
    fn refuses_a_text_with_no_language() {
        assert!(LocalizedText::new(" ", "", "", "name").is_err());
    }
}
