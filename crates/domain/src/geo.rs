//! Countries, municipalities and points on the map, and the distance between two points.

use std::fmt;
use std::str::FromStr;

use crate::InvalidValue;

/// The countries hubnet serves. Holidays, municipality codes and time zones follow from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub enum Country {
    #[serde(rename = "FI")]
    Finland,
    #[serde(rename = "SE")]
    Sweden,
}

impl Country {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Finland => "FI",
            Self::Sweden => "SE",
        }
    }

    /// The IANA zone used when a site gives none.
    pub const fn default_time_zone(self) -> chrono_tz::Tz {
        match self {
            Self::Finland => chrono_tz::Europe::Helsinki,
            Self::Sweden => chrono_tz::Europe::Stockholm,
        }
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Country {
    type Err = InvalidValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "FI" => Ok(Self::Finland),
            "SE" => Ok(Self::Sweden),
            other => Err(InvalidValue::new("country", format!("`{other}` is not FI or SE"))),
        }
    }
}

/// A municipality by its official code: Statistics Finland's three digits (`091` Helsinki) or
/// SCB's four-digit kommunkod (`2380` Östersund). Serialised as `FI-091`, `SE-2380`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MunicipalityCode {
    country: Country,
    code: u16,
}

impl MunicipalityCode {
    pub fn new(country: Country, code: &str) -> Result<Self, InvalidValue> {
        let digits = match country {
            Country::Finland => 3,
            Country::Sweden => 4,
        };
        if code.len() != digits || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidValue::new(
                "municipality",
                format!("a {country} municipality code has {digits} digits, not `{code}`"),
            ));
        }
        let code = code.parse().map_err(|_| InvalidValue::new("municipality", "not a number"))?;
        Ok(Self { country, code })
    }

    pub const fn country(self) -> Country {
        self.country
    }

    /// The national code, zero-padded as the statistics offices write it.
    pub fn local_code(self) -> String {
        match self.country {
            Country::Finland => format!("{:03}", self.code),
            Country::Sweden => format!("{:04}", self.code),
        }
    }
}

impl fmt::Display for MunicipalityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.country, self.local_code())
    }
}

impl FromStr for MunicipalityCode {
    type Err = InvalidValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (country, code) = s
            .trim()
            .split_once('-')
            .ok_or_else(|| InvalidValue::new("municipality", format!("`{s}` is not like FI-091 or SE-2380")))?;
        Self::new(country.parse()?, code)
    }
}

impl serde::Serialize for MunicipalityCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for MunicipalityCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(|e: InvalidValue| serde::de::Error::custom(e.reason))
    }
}

impl utoipa::PartialSchema for MunicipalityCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^(FI-[0-9]{3}|SE-[0-9]{4})$"))
            .examples(["FI-091", "SE-2380"])
            .description(Some("Country and official municipality code"))
            .into()
    }
}

impl utoipa::ToSchema for MunicipalityCode {}

/// A point in WGS 84 degrees, checked to be on the globe.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Coordinates {
    #[schema(minimum = -90.0, maximum = 90.0, example = 60.1699)]
    lat: f64,
    #[schema(minimum = -180.0, maximum = 180.0, example = 24.9384)]
    lon: f64,
}

impl Coordinates {
    pub fn new(lat: f64, lon: f64) -> Result<Self, InvalidValue> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(InvalidValue::new("lat", format!("latitude {lat} is not between -90 and 90")));
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(InvalidValue::new("lon", format!("longitude {lon} is not between -180 and 180")));
        }
        Ok(Self { lat, lon })
    }

    pub const fn lat(self) -> f64 {
        self.lat
    }

    pub const fn lon(self) -> f64 {
        self.lon
    }

    /// Great-circle distance in kilometres (haversine on a sphere of the mean Earth radius).
    /// Written here rather than pulled from `geo`: it is one formula, and `geo` brings some
    /// fifteen crates for it. Good to ~0.5 % against the ellipsoid, which is plenty for "near".
    pub fn distance_km(self, other: Self) -> f64 {
        const EARTH_RADIUS_KM: f64 = 6371.0088;
        let (phi1, phi2) = (self.lat.to_radians(), other.lat.to_radians());
        let d_phi = (other.lat - self.lat).to_radians();
        let d_lambda = (other.lon - self.lon).to_radians();
        let a = (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
    }

    /// A latitude/longitude box that contains every point within `radius_km` of `self`, for a
    /// cheap indexed pre-filter before the exact distance. Returns (min, max) corners.
    pub fn bounding_box(self, radius_km: f64) -> (Self, Self) {
        const KM_PER_DEGREE: f64 = 111.195;
        let d_lat = radius_km / KM_PER_DEGREE;
        let cos_lat = self.lat.to_radians().cos().max(0.01);
        let d_lon = (radius_km / (KM_PER_DEGREE * cos_lat)).min(180.0);
        let min = Self { lat: (self.lat - d_lat).max(-90.0), lon: (self.lon - d_lon).max(-180.0) };
        let max = Self { lat: (self.lat + d_lat).min(90.0), lon: (self.lon + d_lon).min(180.0) };
        (min, max)
    }

    /// Whether this point lies in the box between `min` and `max`, edges included.
    pub fn is_within(self, min: Self, max: Self) -> bool {
        (min.lat..=max.lat).contains(&self.lat) && (min.lon..=max.lon).contains(&self.lon)
    }
}

impl<'de> serde::Deserialize<'de> for Coordinates {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            lat: f64,
            lon: f64,
        }
        let raw = Raw::deserialize(deserializer)?;
        Self::new(raw.lat, raw.lon).map_err(|e| serde::de::Error::custom(e.reason))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_is_within_its_own_bounding_box_and_a_far_one_is_not() {
        let helsinki = Coordinates::new(60.16952, 24.93545).unwrap();
        let (min, max) = helsinki.bounding_box(100.0);
        assert!(helsinki.is_within(min, max));
        assert!(min.is_within(min, max) && max.is_within(min, max), "edges are inside");
        assert!(Coordinates::new(60.98, 24.93).unwrap().is_within(min, max), "90 km north");
        assert!(!Coordinates::new(63.1792, 14.63566).unwrap().is_within(min, max), "Östersund");
    }

    #[test]
    fn measures_helsinki_to_ostersund_like_a_great_circle_calculator() {
        let helsinki = Coordinates::new(60.16952, 24.93545).unwrap();
        let ostersund = Coordinates::new(63.1792, 14.63566).unwrap();
        // Independent reference: the spherical law of cosines on the same radius.
        let (a, b) = (helsinki, ostersund);
        let cosines = (a.lat.to_radians().sin() * b.lat.to_radians().sin()
            + a.lat.to_radians().cos() * b.lat.to_radians().cos() * (b.lon - a.lon).to_radians().cos())
        .acos()
            * 6371.0088;
        let d = helsinki.distance_km(ostersund);
        assert!((d - cosines).abs() < 0.01, "{d} vs {cosines}");
        assert!((630.0..645.0).contains(&d), "{d}");
    }

    #[test]
    fn refuses_points_off_the_globe() {
        assert!(Coordinates::new(91.0, 0.0).is_err());
        assert!(Coordinates::new(0.0, -180.5).is_err());
        assert!(Coordinates::new(f64::NAN, 0.0).is_err());
        assert!(serde_json::from_str::<Coordinates>(r#"{"lat": 100, "lon": 1}"#).is_err());
    }

    #[test]
    fn a_bounding_box_contains_the_circle() {
        let p = Coordinates::new(63.0, 14.0).unwrap();
        let (min, max) = p.bounding_box(100.0);
        let east = Coordinates::new(63.0, max.lon).unwrap();
        let north = Coordinates::new(max.lat, 14.0).unwrap();
        assert!(p.distance_km(east) >= 99.9);
        assert!(p.distance_km(north) >= 99.9);
        assert!(min.lat < 63.0 && min.lon < 14.0);
    }

    #[test]
    fn parses_municipality_codes_of_both_countries() {
        let helsinki: MunicipalityCode = "FI-091".parse().unwrap();
        assert_eq!(helsinki.local_code(), "091");
        assert_eq!(helsinki.to_string(), "FI-091");
        assert_eq!("SE-2380".parse::<MunicipalityCode>().unwrap().country(), Country::Sweden);
        assert!("FI-2380".parse::<MunicipalityCode>().is_err());
        assert!("SE-91".parse::<MunicipalityCode>().is_err());
        assert!("091".parse::<MunicipalityCode>().is_err());
    }
}
