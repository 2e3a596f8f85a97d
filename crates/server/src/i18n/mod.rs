//! Translations: every user-facing text in Finnish, Swedish and English, from Fluent files in
//! `crates/server/locales/<lang>/`, compiled into the binary.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use hubnet_domain::Language;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: API clients show messages as plain text.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static FI: LanguageIdentifier = langid!("fi");
static SV: LanguageIdentifier = langid!("sv");
static EN: LanguageIdentifier = langid!("en");

fn id(language: Language) -> &'static LanguageIdentifier {
    match language {
        Language::Fi => &FI,
        Language::Sv => &SV,
        Language::En => &EN,
    }
}

/// Arguments of a message, by name.
pub type Args = HashMap<Cow<'static, str>, FluentValue<'static>>;

/// The message `key` in `language`, or `None` when no translation exists in that language.
pub fn try_text(language: Language, key: &str, args: &Args) -> Option<String> {
    LOCALES.try_lookup_with_args(id(language), key, args)
}

/// The message `key` in `language`; a missing translation is logged and shown as the key, so
/// that a test notices it rather than a user.
pub fn text(language: Language, key: &str, args: &Args) -> String {
    try_text(language, key, args).unwrap_or_else(|| {
        tracing::error!(key, %language, "missing translation");
        key.to_owned()
    })
}

/// A date as people write it: 24.12.2026 in Finnish, 2026-12-24 in Swedish, 24 Dec 2026 in English.
pub fn date(language: Language, date: NaiveDate) -> String {
    match language {
        Language::Fi => format!("{}.{}.{}", date.day(), date.month(), date.year()),
        Language::Sv => date.format("%Y-%m-%d").to_string(),
        Language::En => date.format("%-d %b %Y").to_string(),
    }
}

/// The language of the request: `Accept-Language`, else English.
pub fn request_language(headers: &axum::http::HeaderMap) -> Language {
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Language::negotiate)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_dates_the_local_way() {
        let eve = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
        assert_eq!(date(Language::Fi, eve), "24.12.2026");
        assert_eq!(date(Language::Sv, eve), "2026-12-24");
        assert_eq!(date(Language::En, eve), "24 Dec 2026");
    }

    #[test]
    fn fills_in_arguments_without_isolation_marks() {
        let args = Args::from([("max_days".into(), 60.into())]);
        assert_eq!(text(Language::Fi, "too_far_ahead", &args), "Varauksia voi tehdä enintään 60 päivää etukäteen.");
    }

    #[test]
    fn every_key_exists_in_all_three_languages() {
        for file in ["main.ftl", "web.ftl"] {
            let read = |code: &str| {
                std::fs::read_to_string(format!("{}/locales/{code}/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap()
            };
            let keys = |text: &str| -> Vec<String> {
                text.lines()
                    .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" = "))
                    .map(|l| l.split(" = ").next().unwrap().to_owned())
                    .collect()
            };
            let en = keys(&read("en"));
            for language in Language::ALL {
                assert_eq!(keys(&read(language.code())), en, "{file}: {language} differs from en");
            }
        }
    }
}
