//! Money: currencies and prices in minor units (cents, öre), never floating point. Procurement's
//! amounts with VAT belong here too, so that no capability has to import another for its money.

use crate::InvalidValue;

/// Three-letter ISO 4217 currency of a price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub enum Currency {
    #[serde(rename = "EUR")]
    Eur,
    #[serde(rename = "SEK")]
    Sek,
}

impl Currency {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Eur => "EUR",
            Self::Sek => "SEK",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, InvalidValue> {
        match code.trim().to_ascii_uppercase().as_str() {
            "EUR" => Ok(Self::Eur),
            "SEK" => Ok(Self::Sek),
            other => Err(InvalidValue::new("currency", format!("`{other}` is not EUR or SEK"))),
        }
    }
}

/// A price in minor units (cents, öre), never floating point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Price {
    #[schema(minimum = 0, example = 2500)]
    pub amount_minor: i64,
    pub currency: Currency,
}
