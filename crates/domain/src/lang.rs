//! The three languages hubnet speaks, and choosing one from an `Accept-Language` header.

use std::fmt;
use std::str::FromStr;

/// A user-interface language. Finnish and Swedish are the national languages of Finland (and
/// Swedish of Sweden); English serves everyone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Fi,
    Sv,
    #[default]
    En,
}

impl Language {
    pub const ALL: [Self; 3] = [Self::Fi, Self::Sv, Self::En];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Fi => "fi",
            Self::Sv => "sv",
            Self::En => "en",
        }
    }

    /// Picks the best of fi/sv/en from an HTTP `Accept-Language` value (RFC 9110: a list of
    /// language ranges with optional `q` weights). Unknown or missing preferences give `None`.
    pub fn negotiate(header: &str) -> Option<Self> {
        let mut best: Option<(Self, f32, usize)> = None;
        for (position, item) in header.split(',').enumerate() {
            let mut parts = item.trim().split(';');
            let range = parts.next().unwrap_or("").trim();
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
                .unwrap_or(1.0);
            if weight <= 0.0 {
                continue;
            }
            let primary = range.split(['-', '_']).next().unwrap_or("");
            let Ok(language) = primary.parse::<Self>() else {
                continue;
            };
            let better = match best {
                None => true,
                Some((_, w, p)) => weight > w || ((weight - w).abs() < f32::EPSILON && position < p),
            };
            if better {
                best = Some((language, weight, position));
            }
        }
        best.map(|(language, _, _)| language)
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Language {
    type Err = crate::InvalidValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fi" | "fin" => Ok(Self::Fi),
            "sv" | "swe" => Ok(Self::Sv),
            "en" | "eng" => Ok(Self::En),
            other => Err(crate::InvalidValue::new("language", format!("`{other}` is not fi, sv or en"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Language;

    #[test]
    fn picks_the_highest_weighted_known_language() {
        assert_eq!(Language::negotiate("de-DE, sv;q=0.8, fi;q=0.9"), Some(Language::Fi));
        assert_eq!(Language::negotiate("sv-FI"), Some(Language::Sv));
        assert_eq!(Language::negotiate("en-GB,en;q=0.9"), Some(Language::En));
    }

    #[test]
    fn ignores_unknown_and_refused_languages() {
        assert_eq!(Language::negotiate("de, fr"), None);
        assert_eq!(Language::negotiate("fi;q=0, sv;q=0.1"), Some(Language::Sv));
        assert_eq!(Language::negotiate(""), None);
    }

    #[test]
    fn keeps_the_first_of_equally_weighted_languages() {
        assert_eq!(Language::negotiate("sv, fi"), Some(Language::Sv));
    }
}
