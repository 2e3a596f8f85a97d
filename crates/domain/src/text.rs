//! Text that exists in Finnish, Swedish and English, such as the name of a site.

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

    /// The text in `language`, or the nearest fallback that exists.
    pub fn get(&self, language: Language) -> &str {
        let order = match language {
            Language::Fi => [&self.fi, &self.sv, &self.en],
            Language::Sv => [&self.sv, &self.fi, &self.en],
            Language::En => [&self.en, &self.fi, &self.sv],
        };
        order.into_iter().find(|s| !s.is_empty()).map_or("", String::as_str)
    }
}

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
    fn refuses_a_text_with_no_language() {
        assert!(LocalizedText::new(" ", "", "", "name").is_err());
    }
}
