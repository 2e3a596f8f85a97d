//! PATCH operations (RFC 7644 §3.5.2) as identity providers send them: `op` in any letter case
//! (Entra ID sends `Add`, `Replace`, `Remove`), with or without a `path`, with a value filter in
//! the path (`members[value eq "..."]`, `emails[type eq "work"].value`), and booleans that may
//! arrive as strings (`"False"`).

use serde_json::Value;

use super::filter::{self, Filter};
use super::member;
use crate::error::AppError;
use crate::scim::error::ScimError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Replace,
    Remove,
}

/// Where an operation applies: an attribute (lower case, `name.givenname`), optionally narrowed
/// by a filter on its values and followed by a sub-attribute (`emails[type eq "work"].value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub attribute: String,
    pub filter: Option<Filter>,
    pub sub_attribute: Option<String>,
}

impl Path {
    pub fn parse(path: &str) -> Result<Self, AppError> {
        let bad = || AppError::from(ScimError::InvalidPath(format!("cannot read the path {path}")));
        let path = path.trim();
        let Some(open) = path.find('[') else {
            return Ok(Self { attribute: filter::normalise_attribute(path), filter: None, sub_attribute: None });
        };
        let close = path.rfind(']').filter(|&c| c > open).ok_or_else(bad)?;
        let filter = filter::parse(&path[open + 1..close]).map_err(|_| bad())?;
        let sub_attribute = match &path[close + 1..] {
            "" => None,
            rest => Some(rest.strip_prefix('.').ok_or_else(bad)?.to_ascii_lowercase()),
        };
        Ok(Self { attribute: filter::normalise_attribute(&path[..open]), filter: Some(filter), sub_attribute })
    }
}

/// One operation of a PATCH request.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub op: Op,
    pub path: Option<Path>,
    pub value: Option<Value>,
}

impl Operation {
    pub fn parse(value: &Value) -> Result<Self, AppError> {
        let object = value
            .as_object()
            .ok_or_else(|| AppError::from(ScimError::InvalidSyntax("each operation is a JSON object".into())))?;
        let op = match member(object, "op").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref() {
            Some("add") => Op::Add,
            Some("replace") => Op::Replace,
            Some("remove") => Op::Remove,
            _ => return Err(ScimError::InvalidSyntax("op is add, replace or remove".into()).into()),
        };
        let path = match member(object, "path") {
            None | Some(Value::Null) => None,
            Some(Value::String(p)) if p.trim().is_empty() => None,
            Some(Value::String(p)) => Some(Path::parse(p)?),
            Some(_) => return Err(ScimError::InvalidPath("path must be a string".into()).into()),
        };
        let value = member(object, "value").cloned();
        if op == Op::Remove && path.is_none() {
            return Err(ScimError::InvalidPath("a remove operation needs a path".into()).into());
        }
        if op != Op::Remove && value.is_none() {
            return Err(ScimError::InvalidSyntax("add and replace need a value".into()).into());
        }
        Ok(Self { op, path, value })
    }
}

/// A boolean, also written as a string in any letter case (`"False"`), as Entra ID sends it.
pub fn boolean(value: &Value, field: &'static str) -> Result<bool, AppError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(AppError::invalid(field, "must be true or false")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_entras_operations_in_any_letter_case() {
        let op = Operation::parse(&json!({"op": "Replace", "path": "active", "value": "False"})).unwrap();
        assert_eq!(op.op, Op::Replace);
        assert_eq!(op.path.unwrap().attribute, "active");
        assert!(!boolean(op.value.as_ref().unwrap(), "active").unwrap());
        let op = Operation::parse(&json!({"OP": "add", "value": {"displayName": "x"}})).unwrap();
        assert_eq!((op.op, op.path), (Op::Add, None));
        let op = Operation::parse(&json!({"op": "Remove", "path": "members[value eq \"42\"]"})).unwrap();
        let path = op.path.unwrap();
        assert_eq!((path.attribute.as_str(), path.filter.unwrap().value.as_str()), ("members", "42"));
    }

    #[test]
    fn reads_paths_with_filters_and_sub_attributes() {
        let path = Path::parse(r#"emails[type eq "work"].value"#).unwrap();
        assert_eq!(path.attribute, "emails");
        assert_eq!(path.filter.unwrap(), Filter { attribute: "type".into(), value: "work".into() });
        assert_eq!(path.sub_attribute.as_deref(), Some("value"));
        assert_eq!(Path::parse("name.givenName").unwrap().attribute, "name.givenname");
        assert_eq!(
            Path::parse("urn:ietf:params:scim:schemas:core:2.0:User:displayName").unwrap().attribute,
            "displayname"
        );
    }

    #[test]
    fn refuses_malformed_operations() {
        assert_eq!(Operation::parse(&json!({"op": "merge", "value": 1})).unwrap_err().code(), "scim_invalid_syntax");
        assert_eq!(Operation::parse(&json!({"op": "remove"})).unwrap_err().code(), "scim_invalid_path");
        assert_eq!(Operation::parse(&json!({"op": "add", "path": "x"})).unwrap_err().code(), "scim_invalid_syntax");
        assert_eq!(Path::parse("members[value eq 42]").unwrap_err().code(), "scim_invalid_path");
        assert_eq!(Path::parse(r#"members[value eq "1"]value"#).unwrap_err().code(), "scim_invalid_path");
        assert!(boolean(&json!("yes"), "active").is_err());
        assert!(boolean(&json!("TRUE"), "active").unwrap());
    }
}
