//! The part of SCIM's filter language (RFC 7644 §3.4.2.2) that identity providers use to find a
//! resource before they create it: one attribute, `eq`, and a quoted value, such as
//! `userName eq "maija.virtanen@dvv.fi"`. Anything else is refused as `invalidFilter`, never
//! half-understood.

use crate::error::AppError;
use crate::scim::error::ScimError;

/// The URN prefix an attribute may carry.
const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:user:";
const CORE_GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:group:";

/// `attribute eq "value"`, with the attribute in lower case and without its schema URN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub attribute: String,
    pub value: String,
}

/// An attribute name as compared: lower case, without the core schemas' URN prefix.
pub fn normalise_attribute(attribute: &str) -> String {
    let lower = attribute.trim().to_ascii_lowercase();
    for prefix in [CORE_USER, CORE_GROUP] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            return rest.to_owned();
        }
    }
    lower
}

/// Parses `attribute eq "value"`. The value is a JSON string: quotes and backslashes inside it
/// are escaped (`\"`, `\\`).
pub fn parse(input: &str) -> Result<Filter, AppError> {
    let bad = |why: &str| AppError::from(ScimError::InvalidFilter(format!("{why}: {input}")));
    let input = input.trim();
    let (attribute, rest) =
        input.split_once(char::is_whitespace).ok_or_else(|| bad("expected attribute eq \"value\""))?;
    let (operator, value) =
        rest.trim_start().split_once(char::is_whitespace).ok_or_else(|| bad("expected attribute eq \"value\""))?;
    if !operator.eq_ignore_ascii_case("eq") {
        return Err(bad("only the eq operator is supported"));
    }
    if attribute.is_empty() || !attribute.chars().all(|c| c.is_ascii_alphanumeric() || ":._-$".contains(c)) {
        return Err(bad("not an attribute name"));
    }
    let value = value.trim();
    if !value.starts_with('"') {
        return Err(bad("the value must be a string in double quotes"));
    }
    // One JSON string and nothing after it: `and`, `or` and `not` are not supported.
    let value: String =
        serde_json::from_str(value).map_err(|_| bad("one quoted value, with \\\" for a quote inside"))?;
    Ok(Filter { attribute: normalise_attribute(attribute), value })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> (String, String) {
        let filter = parse(input).unwrap();
        (filter.attribute, filter.value)
    }

    #[test]
    fn reads_the_filters_identity_providers_send() {
        assert_eq!(ok(r#"userName eq "maija@dvv.fi""#), ("username".into(), "maija@dvv.fi".into()));
        assert_eq!(ok(r#"USERNAME EQ "A@b.fi""#), ("username".into(), "A@b.fi".into()));
        assert_eq!(ok(r#"externalId eq "0c8a-41""#), ("externalid".into(), "0c8a-41".into()));
        assert_eq!(ok(r#"displayName eq "IT \"Core\" \\ ops""#), ("displayname".into(), r#"IT "Core" \ ops"#.into()));
        assert_eq!(
            ok(r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x@y.fi""#),
            ("username".into(), "x@y.fi".into())
        );
        assert_eq!(ok("  userName   eq   \"spaced@y.fi\"  "), ("username".into(), "spaced@y.fi".into()));
    }

    #[test]
    fn refuses_what_it_does_not_support() {
        for bad in [
            "",
            "userName",
            r#"userName ne "x""#,
            r#"userName co "x""#,
            r#"userName eq "x" and active eq true"#,
            r"userName eq x",
            r#"userName eq "unterminated"#,
            "active eq true",
            r#"emails[type eq "work"] eq "x""#,
            r#"(userName eq "x")"#,
        ] {
            let error = parse(bad).unwrap_err();
            assert_eq!(error.code(), "scim_invalid_filter", "{bad}");
        }
    }
}
