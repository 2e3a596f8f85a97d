//! The policy page's form of rules: a draft of a new version, rule by rule, as the admin typed it.
//!
//! A [`Draft`] holds every value as text, so that adding or removing a rule, or a refused save,
//! shows the form again exactly as typed. It is read from the posted fields (`r0_km`, `r0_scope`,
//! ...), made from the rules in force, and turned into rules through the documented JSON
//! vocabulary (`docs/policies.md`), so that the API's own checks and error paths (`rules[2].km`)
//! apply to the form as they do to the API.

use hubnet_domain::policy::{Day, MAX_RULES, Rule, RuleKind};
use hubnet_domain::{MunicipalityCode, SiteKind, Unit};
use serde_json::{Map, Value, json};

use crate::error::AppError;
use crate::web::page::{Choice, Tr};
use crate::web::page::{Fields, checked, field};

/// The scopes a rule may have, as the form names them: the keys of `applies_to` in JSON.
const SCOPES: [&str; 4] = ["everyone", "role_tags", "units", "home_municipalities"];

/// The rules of a new version being written.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub rules: Vec<DraftRule>,
}

/// One rule as typed. Only the fields of its kind are shown and read.
#[derive(Debug, Clone)]
pub struct DraftRule {
    pub kind: RuleKind,
    pub km: String,
    pub road_factor: String,
    pub mode: String,
    pub kinds: Vec<String>,
    pub required: bool,
    pub max_days: String,
    pub unit_id: String,
    /// In whole currency units, decimals allowed: `5000` or `5000.50`.
    pub amount: String,
    pub currency: String,
    pub weekdays: Vec<String>,
    pub exceptions_allowed: bool,
    /// One of [`SCOPES`].
    pub scope: String,
    /// Role tags or municipality codes, separated by commas.
    pub scope_values: String,
    pub scope_units: Vec<String>,
}

impl DraftRule {
    /// A new rule of a kind, with the JSON vocabulary's defaults. A budget's currency is left
    /// to the form, which offers the organisation's own first.
    pub fn new(kind: RuleKind) -> Self {
        Self {
            kind,
            km: String::new(),
            road_factor: "1.0".to_owned(),
            mode: "prefer".to_owned(),
            kinds: Vec::new(),
            required: true,
            max_days: String::new(),
            unit_id: String::new(),
            amount: String::new(),
            currency: String::new(),
            weekdays: Vec::new(),
            exceptions_allowed: false,
            scope: "everyone".to_owned(),
            scope_values: String::new(),
            scope_units: Vec::new(),
        }
    }

    /// A saved rule as the form shows it, read from its JSON so that the form and the API
    /// always name the same fields.
    pub fn from_rule(rule: &Rule) -> Self {
        let value = serde_json::to_value(rule).unwrap_or_default();
        let text = |name: &str| match &value[name] {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        let list = |value: &Value| -> Vec<String> {
            value
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default()
        };
        let mut draft = Self::new(rule.kind());
        draft.km = text("km");
        draft.road_factor = text("road_factor");
        draft.mode = text("mode");
        draft.kinds = list(&value["kinds"]);
        draft.required = value["required"].as_bool().unwrap_or(true);
        draft.max_days = text("max_days");
        draft.unit_id = text("unit_id");
        draft.amount = value["amount_minor"].as_i64().map(amount_text).unwrap_or_default();
        draft.currency = text("currency");
        draft.weekdays = list(&value["weekdays"]);
        draft.exceptions_allowed = value["exceptions_allowed"].as_bool().unwrap_or(false);
        if let Some((scope, values)) = value["applies_to"].as_object().and_then(|o| o.iter().next()) {
            draft.scope.clone_from(scope);
            if scope == "units" {
                draft.scope_units = list(values);
            } else {
                draft.scope_values = list(values).join(", ");
            }
        }
        draft
    }

    /// Rule `i` of the posted form; `None` for a kind that does not exist.
    fn read(fields: &Fields, i: usize) -> Option<Self> {
        let name = |part: &str| format!("r{i}_{part}");
        let text = |part: &str| field(fields, &name(part)).unwrap_or_default().to_owned();
        let all = |part: &str| {
            let name = name(part);
            fields.iter().filter(|(k, _)| *k == name).map(|(_, v)| v.clone()).collect::<Vec<_>>()
        };
        Some(Self {
            kind: RuleKind::from_key(field(fields, &name("rule"))?).ok()?,
            km: text("km"),
            road_factor: text("road_factor"),
            mode: text("mode"),
            kinds: all("kinds"),
            required: checked(fields, &name("required")),
            max_days: text("max_days"),
            unit_id: text("unit_id"),
            amount: text("amount"),
            currency: text("currency"),
            weekdays: all("weekdays"),
            exceptions_allowed: checked(fields, &name("exceptions_allowed")),
            scope: text("scope"),
            scope_values: text("scope_values"),
            scope_units: all("scope_units"),
        })
    }

    /// The rule in the JSON vocabulary. A number that does not read is refused here, named by
    /// its path as the domain names its own errors (`rules[1].km`).
    fn to_json(&self, i: usize) -> Result<Value, AppError> {
        let at = |name: &str| format!("rules[{i}].{name}");
        let mut rule = Map::new();
        rule.insert("rule".into(), json!(self.kind.key()));
        match self.kind {
            RuleKind::OwnOfficeWithin => {
                rule.insert("km".into(), json!(whole::<u16>(&self.km, &at("km"))?));
                if !self.road_factor.trim().is_empty() {
                    rule.insert("road_factor".into(), json!(decimal(&self.road_factor, &at("road_factor"))?));
                }
                rule.insert("mode".into(), json!(self.mode));
            }
            RuleKind::SiteKinds => {
                rule.insert("kinds".into(), json!(self.kinds));
            }
            RuleKind::HubApproval => {
                rule.insert("required".into(), json!(self.required));
            }
            RuleKind::MonthlyHubDays => {
                rule.insert("max_days".into(), json!(whole::<u8>(&self.max_days, &at("max_days"))?));
            }
            RuleKind::MonthlyBudget => {
                rule.insert("unit_id".into(), json!(self.unit(&at("unit_id"))?));
                let minor = minor_units(&self.amount)
                    .ok_or_else(|| AppError::invalid(at("amount_minor"), "an amount such as 5000 or 5000.50"))?;
                rule.insert("amount_minor".into(), json!(minor));
                rule.insert("currency".into(), json!(self.currency));
            }
            RuleKind::TeamDays => {
                rule.insert("unit_id".into(), json!(self.unit(&at("unit_id"))?));
                rule.insert("weekdays".into(), json!(self.weekdays));
            }
        }
        if has_scope(self.kind) {
            rule.insert("applies_to".into(), self.scope_json(&at("applies_to"))?);
        }
        if has_exceptions(self.kind) {
            rule.insert("exceptions_allowed".into(), json!(self.exceptions_allowed));
        }
        Ok(Value::Object(rule))
    }

    fn unit(&self, path: &str) -> Result<&str, AppError> {
        match self.unit_id.trim() {
            "" => Err(AppError::invalid(path, "choose a unit")),
            unit => Ok(unit),
        }
    }

    fn scope_json(&self, path: &str) -> Result<Value, AppError> {
        let values = || self.scope_values.split(',').map(str::trim).filter(|v| !v.is_empty());
        match self.scope.as_str() {
            "everyone" => Ok(json!("everyone")),
            "role_tags" => Ok(json!({"role_tags": values().collect::<Vec<_>>()})),
            "units" => Ok(json!({"units": self.scope_units})),
            "home_municipalities" => {
                let codes = values()
                    .map(|code| code.parse::<MunicipalityCode>().map(|c| c.to_string()))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| AppError::invalid(path, e.reason))?;
                Ok(json!({"home_municipalities": codes}))
            }
            _ => Err(AppError::invalid(path, "everyone, role_tags, units or home_municipalities")),
        }
    }
}

impl Draft {
    pub fn from_rules(rules: &[Rule]) -> Self {
        Self { rules: rules.iter().map(DraftRule::from_rule).collect() }
    }

    /// The rules of the posted form: `count` of them, each by its index.
    pub fn read(fields: &Fields) -> Self {
        let count = field(fields, "count").and_then(|c| c.parse().ok()).unwrap_or(0_usize);
        Self { rules: (0..count.min(MAX_RULES + 1)).filter_map(|i| DraftRule::read(fields, i)).collect() }
    }

    /// The rules to save. The form's own errors come first; the domain checks the rest when the
    /// version is added.
    pub fn to_rules(&self) -> Result<Vec<Rule>, AppError> {
        self.rules
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                serde_json::from_value(rule.to_json(i)?)
                    .map_err(|e| AppError::invalid(format!("rules[{i}]"), e.to_string()))
            })
            .collect()
    }
}

/// Whether a kind has `applies_to`; budgets and team days name a unit instead.
pub const fn has_scope(kind: RuleKind) -> bool {
    !matches!(kind, RuleKind::MonthlyBudget | RuleKind::TeamDays)
}

/// Whether a kind has `exceptions_allowed`.
pub const fn has_exceptions(kind: RuleKind) -> bool {
    !matches!(kind, RuleKind::HubApproval | RuleKind::TeamDays)
}

fn whole<N: std::str::FromStr>(text: &str, path: &str) -> Result<N, AppError> {
    text.trim().parse().map_err(|_| AppError::invalid(path, "a whole number"))
}

fn decimal(text: &str, path: &str) -> Result<f64, AppError> {
    text.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .ok_or_else(|| AppError::invalid(path, "a number such as 1.2"))
}

/// An amount typed in whole currency units, with at most two decimals (a comma or a point),
/// in minor units: `5 000,50` is 500050.
fn minor_units(text: &str) -> Option<i64> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().replace(',', ".");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || fraction.len() > 2 || !digits(fraction) {
        return None;
    }
    let cents: i64 = format!("{fraction:0<2}").parse().ok()?;
    whole.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents)
}

/// Minor units as the amount field shows them: `500000` is `5000`, `500050` is `5000.50`.
fn amount_text(minor: i64) -> String {
    if minor % 100 == 0 { (minor / 100).to_string() } else { format!("{}.{:02}", minor / 100, (minor % 100).abs()) }
}

/// Where a refusal points in the form: the rule's index and its field (`km`, `applies_to`; empty
/// for the rule as a whole), from a path such as `rules[2].applies_to.role_tags[0]`.
fn error_place(field: &str) -> Option<(usize, &str)> {
    let (index, rest) = field.strip_prefix("rules[")?.split_once(']')?;
    let name = rest.trim_start_matches('.').split(['.', '[']).next().unwrap_or_default();
    Some((index.parse().ok()?, name))
}

/// A rule's field as the form labels it, for error messages: "Sääntö 3: Päiviä kuukaudessa
/// enintään" for `rules[2].max_days`; `None` for a field outside the rules.
pub fn rule_field_label(t: Tr, field: &str) -> Option<String> {
    let (index, name) = error_place(field)?;
    let rule = t.with("web-policy-rule-number", "number", &(index + 1));
    Some(match field_key(name) {
        Some(key) => format!("{rule}: {}", t.get(key)),
        None => rule,
    })
}

/// The translation key of a rule's field as the form labels it, for error messages.
fn field_key(name: &str) -> Option<&'static str> {
    Some(match name {
        "km" => "web-policy-field-km",
        "road_factor" => "web-policy-field-road-factor",
        "mode" => "web-policy-field-mode",
        "kinds" => "web-policy-field-kinds",
        "required" => "web-policy-field-required",
        "max_days" => "web-policy-field-max-days",
        "unit_id" => "web-policy-field-unit",
        "amount_minor" => "web-policy-field-amount",
        "currency" => "web-policy-field-currency",
        "weekdays" => "web-policy-field-weekdays",
        "exceptions_allowed" => "web-policy-field-exceptions",
        "applies_to" => "web-policy-field-scope",
        _ => return None,
    })
}

/// A rule as the template shows it: values as typed, choices in the page's language.
pub struct RuleView {
    pub i: usize,
    pub kind: &'static str,
    pub legend: String,
    pub km: String,
    pub road_factor: String,
    pub modes: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub required: bool,
    pub max_days: String,
    pub units: Vec<Choice>,
    pub amount: String,
    pub currencies: Vec<Choice>,
    pub weekdays: Vec<Choice>,
    pub has_exceptions: bool,
    pub exceptions_allowed: bool,
    pub scopes: Vec<Choice>,
    pub scope_values: String,
    pub scope_units: Vec<Choice>,
    /// The field a refusal names (see [`error_place`]), if it names this rule.
    invalid: Option<String>,
}

impl RuleView {
    /// Whether the control for `name` holds the refused value, to be marked `aria-invalid`.
    pub fn bad(&self, name: &str) -> bool {
        let Some(invalid) = self.invalid.as_deref() else { return false };
        let for_units = self.scopes.iter().any(|s| s.selected && s.value == "units");
        match name {
            "amount" => invalid == "amount_minor",
            "scope_values" => invalid == "applies_to" && !for_units,
            "scope_units" => (invalid == "applies_to" || invalid.is_empty()) && for_units,
            "unit_id" => invalid == "unit_id" || (invalid.is_empty() && self.kind_has_unit()),
            other => invalid == other,
        }
    }

    fn kind_has_unit(&self) -> bool {
        matches!(self.kind, "monthly_budget" | "team_days")
    }

    pub fn is(&self, kind: &str) -> bool {
        self.kind == kind
    }
}

/// The name of a rule's kind in the page's language.
pub fn kind_name(t: Tr, kind: RuleKind) -> String {
    t.get(&format!("web-policy-kind-{}", kind.key()))
}

/// Choices with the chosen ones marked.
fn choices(options: impl IntoIterator<Item = (String, String)>, chosen: impl Fn(&str) -> bool) -> Vec<Choice> {
    options.into_iter().map(|(value, label)| Choice { selected: chosen(&value), value, label }).collect()
}

/// The draft as the template shows it. `units` are the organisation's, `currency` its country's
/// (for a budget that has none yet), `invalid` the path of a refused value.
pub fn views(draft: &Draft, t: Tr, units: &[Unit], currency: &str, invalid: Option<&str>) -> Vec<RuleView> {
    let invalid = invalid.and_then(error_place);
    let units: Vec<(String, String)> = units.iter().map(|u| (u.id.to_string(), u.name.get(t.0).to_owned())).collect();
    let keyed = |keys: &mut dyn Iterator<Item = &'static str>, prefix: &str| -> Vec<(String, String)> {
        keys.map(|k| (k.to_owned(), t.get(&format!("{prefix}{k}")))).collect()
    };
    draft
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| RuleView {
            i,
            kind: r.kind.key(),
            legend: format!("{}: {}", t.with("web-policy-rule-number", "number", &(i + 1)), kind_name(t, r.kind)),
            km: r.km.clone(),
            road_factor: r.road_factor.clone(),
            modes: choices(keyed(&mut ["prefer", "require"].into_iter(), "web-policy-mode-"), |v| v == r.mode),
            kinds: choices(keyed(&mut SiteKind::ALL.iter().map(|k| k.key()), "web-site-kind-"), |v| {
                r.kinds.iter().any(|k| k == v)
            }),
            required: r.required,
            max_days: r.max_days.clone(),
            units: choices(units.clone(), |v| v == r.unit_id),
            amount: r.amount.clone(),
            currencies: choices(["EUR", "SEK"].map(|c| (c.to_owned(), c.to_owned())), |v| {
                v == if r.currency.is_empty() { currency } else { r.currency.as_str() }
            }),
            weekdays: choices(keyed(&mut Day::ALL.iter().map(|d| d.key()), "web-policy-day-"), |v| {
                r.weekdays.iter().any(|d| d == v)
            }),
            has_exceptions: has_exceptions(r.kind),
            exceptions_allowed: r.exceptions_allowed,
            scopes: if has_scope(r.kind) {
                choices(keyed(&mut SCOPES.into_iter(), "web-policy-scope-option-"), |v| v == r.scope)
            } else {
                Vec::new()
            },
            scope_values: r.scope_values.clone(),
            scope_units: choices(units.clone(), |v| r.scope_units.iter().any(|u| u == v)),
            invalid: invalid.filter(|(index, _)| *index == i).map(|(_, name)| name.to_owned()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_amounts_in_whole_units_with_a_comma_or_a_point() {
        assert_eq!(minor_units("5000"), Some(500_000));
        assert_eq!(minor_units("5 000,5"), Some(500_050));
        assert_eq!(minor_units("12.34"), Some(1234));
        assert_eq!(minor_units("12.345"), None);
        assert_eq!(minor_units("-3"), None);
        assert_eq!(minor_units(""), None);
        assert_eq!(amount_text(500_050), "5000.50");
        assert_eq!(amount_text(500_000), "5000");
    }

    #[test]
    fn the_regional_rule_goes_through_the_form_unchanged() {
        let rules = hubnet_domain::policy::jamtland_harjedalen_rules();
        assert_eq!(Draft::from_rules(&rules).to_rules().unwrap(), rules);
    }

    #[test]
    fn a_word_for_a_number_is_refused_by_its_path() {
        let mut draft = Draft { rules: vec![DraftRule::new(RuleKind::MonthlyHubDays)] };
        draft.rules[0].max_days = "eight".to_owned();
        let Err(AppError::InvalidInput { field, .. }) = draft.to_rules() else { panic!("accepted") };
        assert_eq!(field, "rules[0].max_days");
        assert_eq!(error_place("rules[3].applies_to.role_tags[0]"), Some((3, "applies_to")));
        assert_eq!(error_place("rules[2]"), Some((2, "")));
        assert_eq!(error_place("valid_from"), None);
        let fi = Tr(hubnet_domain::Language::Fi);
        let label = |t, field| rule_field_label(t, field).unwrap_or_default();
        assert_eq!(label(fi, "rules[2].max_days"), "Sääntö 3: Päiviä kuukaudessa enintään");
        assert_eq!(label(Tr(hubnet_domain::Language::Sv), "rules[0].applies_to.role_tags[1]"), "Regel 1: Gäller");
        assert_eq!(label(Tr(hubnet_domain::Language::En), "rules[4]"), "Rule 5");
    }
}
