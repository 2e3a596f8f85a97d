//! Workplace policies: each organisation's rules for which places its people should use.
//!
//! A policy is data, not code: a list of [`Rule`]s from a fixed vocabulary, versioned
//! ([`Policy`], [`in_force`]) and checked by [`parse_rules`]. [`Situation::evaluate`] says
//! whether a person may use a place on a day under those rules; [`Situation::recommend`] ranks
//! the places they may use and says why. Refusals and reasons are data with stable codes, so the
//! server words them in fi/sv/en. `docs/policies.md` documents the vocabulary for admins.
//!
//! Rules refer to a person through [`PersonFacts`]: organisation, units, role tags and home.
//! Where two rules of the same kind apply to a person, the one with the narrower [`Scope`] wins:
//! role tags, then units, then home municipalities, then everyone; between equally narrow ones,
//! the earlier in the list. A `site_kinds` rule narrower than the `own_office_within` rule lifts
//! the distance rule for the kinds it allows (the regional plan's "a co-working hub regardless of
//! distance" for cross-sector roles).

mod eval;
mod recommend;
mod regional;

use chrono::{DateTime, NaiveDate, Utc};

pub use eval::{Finding, OwnOffice, PersonFacts, Place, Reason, Situation, UnitSpend, Usage, Verdict};
pub use recommend::{AppliedRule, DayRecommendations, Effect, PlaceContext, Reasons, Recommendation};
pub use regional::{CROSS_SECTOR_COORDINATOR, JAMTLAND_HARJEDALEN_JSON, jamtland_harjedalen_rules};

use crate::money::Currency;
use crate::person::{MAX_ROLE_TAG_CHARS, normalise_tag};
use crate::text::keyed_enum;
use crate::{InvalidValue, MunicipalityCode, OrganisationId, PersonId, SiteKind, UnitId};

/// One version of an organisation's policy. A change makes a new version; old ones stay, so one
/// can see who changed what and which rules applied on any past day.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub organisation_id: OrganisationId,
    /// 1 for the first version, one more for each change.
    #[schema(minimum = 1)]
    pub version: u32,
    /// The first day the rules apply. They apply until a later version's `valid_from`.
    pub valid_from: NaiveDate,
    /// The organisation admin who saved this version.
    pub changed_by: PersonId,
    pub changed_at: DateTime<Utc>,
    pub rules: Vec<Rule>,
}

impl Policy {
    /// Checks a stored or submitted policy: a plausible version and date, and valid, normalised
    /// rules (see [`parse_rules`]).
    pub fn validate(&self) -> Result<(), InvalidPolicy> {
        if self.version == 0 {
            return Err(InvalidPolicy::new("version", "versions start at 1"));
        }
        if !crate::booking::is_plausible_date(self.valid_from) {
            return Err(InvalidPolicy::new("valid_from", "a date in the years 1900-9999"));
        }
        validate_rules(&self.rules)
    }
}

/// The version in force on `date`: the one with the latest `valid_from` on or before it, and of
/// those the highest version (a correction saved later for the same day replaces the earlier).
pub fn in_force(policies: &[Policy], date: NaiveDate) -> Option<&Policy> {
    policies.iter().filter(|p| p.valid_from <= date).max_by_key(|p| (p.valid_from, p.version))
}

/// A policy that failed validation: where (a path such as `rules[2].km`) and what is wrong, in
/// English for logs and developers; the API adds translations by its own code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct InvalidPolicy {
    pub path: String,
    pub reason: String,
}

impl InvalidPolicy {
    pub fn new(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { path: path.into(), reason: reason.into() }
    }

    fn at(index: usize, field: &str, reason: impl Into<String>) -> Self {
        Self::new(format!("rules[{index}].{field}"), reason)
    }
}

/// The most rules a policy may hold: enough for every unit of a large agency, small enough to
/// evaluate for every place on every request.
pub const MAX_RULES: usize = 200;
/// The most entries in one scope list.
pub const MAX_SCOPE_ENTRIES: usize = 200;

/// One rule of the vocabulary. In JSON, `rule` names the kind and the other fields are the
/// kind's own; unknown fields are refused. See `docs/policies.md`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "rule", rename_all = "snake_case")]
#[schema(as = PolicyRule)]
pub enum Rule {
    OwnOfficeWithin(OwnOfficeWithin),
    SiteKinds(SiteKinds),
    HubApproval(HubApproval),
    MonthlyHubDays(MonthlyHubDays),
    MonthlyBudget(MonthlyBudget),
    TeamDays(TeamDays),
}

keyed_enum!(
    /// The kind of a rule: its `rule` key in JSON.
    RuleKind, "rule" {
        OwnOfficeWithin => "own_office_within",
        SiteKinds => "site_kinds",
        HubApproval => "hub_approval",
        MonthlyHubDays => "monthly_hub_days",
        MonthlyBudget => "monthly_budget",
        TeamDays => "team_days",
    }
);

impl Rule {
    pub const fn kind(&self) -> RuleKind {
        match self {
            Self::OwnOfficeWithin(_) => RuleKind::OwnOfficeWithin,
            Self::SiteKinds(_) => RuleKind::SiteKinds,
            Self::HubApproval(_) => RuleKind::HubApproval,
            Self::MonthlyHubDays(_) => RuleKind::MonthlyHubDays,
            Self::MonthlyBudget(_) => RuleKind::MonthlyBudget,
            Self::TeamDays(_) => RuleKind::TeamDays,
        }
    }

    /// Whom the rule applies to; budget and team-day rules name a unit instead.
    pub const fn scope(&self) -> Option<&Scope> {
        match self {
            Self::OwnOfficeWithin(r) => Some(&r.applies_to),
            Self::SiteKinds(r) => Some(&r.applies_to),
            Self::HubApproval(r) => Some(&r.applies_to),
            Self::MonthlyHubDays(r) => Some(&r.applies_to),
            Self::MonthlyBudget(_) | Self::TeamDays(_) => None,
        }
    }

    /// The unit a budget or team-day rule is for.
    pub const fn unit(&self) -> Option<UnitId> {
        match self {
            Self::MonthlyBudget(r) => Some(r.unit_id),
            Self::TeamDays(r) => Some(r.unit_id),
            _ => None,
        }
    }
}

/// Prefer or require one's own office when it is near home.
///
/// Below the threshold (the straight-line distance from home to the nearest own office of the
/// organisation, times `road_factor`, in whole kilometres) the organisation's own offices are
/// preferred in recommendations (`prefer`), or required (`require`): places of other
/// organisations are then refused, or need approval with `exceptions_allowed`. At or beyond the
/// threshold the rule allows other places. A person without a known home, or an organisation
/// without own offices, is outside the rule.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnOfficeWithin {
    /// The threshold in kilometres, 0-1000 (0: nobody is within it, which lifts a broader rule).
    #[schema(minimum = 0, maximum = 1000, example = 70)]
    pub km: u16,
    /// Straight-line distance times this approximates the road; 1.0-2.0, default 1.0.
    #[serde(default = "one")]
    #[schema(minimum = 1.0, maximum = 2.0, example = 1.0)]
    pub road_factor: f64,
    pub mode: OfficeMode,
    #[serde(default)]
    pub applies_to: Scope,
    /// A refusal becomes a request for approval.
    #[serde(default)]
    pub exceptions_allowed: bool,
}

const fn one() -> f64 {
    1.0
}

const fn yes() -> bool {
    true
}

/// Whether a near own office is only ranked first or is the only choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OfficeMode {
    Prefer,
    Require,
}

/// Which kinds of site a scope may use; others are refused (or need approval with
/// `exceptions_allowed`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteKinds {
    /// At least one kind.
    pub kinds: Vec<SiteKind>,
    #[serde(default)]
    pub applies_to: Scope,
    #[serde(default)]
    pub exceptions_allowed: bool,
}

/// Bookings at external co-working hubs (hubs of other organisations) need the organisation's
/// approval. A narrower scope with `required: false` lifts a broader one.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HubApproval {
    #[serde(default = "yes")]
    pub required: bool,
    #[serde(default)]
    pub applies_to: Scope,
}

/// At most `max_days` days a month at external co-working hubs per person; a day with several
/// hub bookings counts once.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MonthlyHubDays {
    #[schema(minimum = 0, maximum = 31, example = 8)]
    pub max_days: u8,
    #[serde(default)]
    pub applies_to: Scope,
    #[serde(default)]
    pub exceptions_allowed: bool,
}

/// A monthly budget for external seats (places of other organisations that have a price) for
/// the people of a unit and its sub-units. A person's nearest unit with a budget pays.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MonthlyBudget {
    pub unit_id: UnitId,
    /// In minor units (cents, öre), 0 to 10 000 000 000.
    #[schema(minimum = 0, example = 500_000)]
    pub amount_minor: i64,
    pub currency: Currency,
    #[serde(default)]
    pub exceptions_allowed: bool,
}

/// The weekdays a unit meets: on them, recommendations rank places where colleagues of the unit
/// are booked first. Applies to the unit and its sub-units (the nearest unit's rule wins).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamDays {
    pub unit_id: UnitId,
    /// At least one day.
    pub weekdays: Vec<Day>,
}

keyed_enum!(
    /// A day of the week, keyed as in opening hours.
    Day, "weekdays" {
        Mon => "mon",
        Tue => "tue",
        Wed => "wed",
        Thu => "thu",
        Fri => "fri",
        Sat => "sat",
        Sun => "sun",
    }
);

impl Day {
    pub const fn of(weekday: chrono::Weekday) -> Self {
        match weekday {
            chrono::Weekday::Mon => Self::Mon,
            chrono::Weekday::Tue => Self::Tue,
            chrono::Weekday::Wed => Self::Wed,
            chrono::Weekday::Thu => Self::Thu,
            chrono::Weekday::Fri => Self::Fri,
            chrono::Weekday::Sat => Self::Sat,
            chrono::Weekday::Sun => Self::Sun,
        }
    }
}

/// Whom a rule applies to. In JSON: `"everyone"`, `{"role_tags": ["cross-sector coordinator"]}`,
/// `{"units": ["<uuid>", ...]}` or `{"home_municipalities": ["SE-2380", ...]}`.
///
/// Precedence, narrowest first: role tags (what a person does), units (where they belong; a unit
/// covers its sub-units), home municipalities (where they live), everyone.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = PolicyScope)]
pub enum Scope {
    #[default]
    Everyone,
    /// People with any of these role tags (normalised: trimmed, single spaces, lower case).
    RoleTags(Vec<String>),
    /// People of any of these units or their sub-units.
    Units(Vec<UnitId>),
    /// People whose home is in any of these municipalities.
    HomeMunicipalities(Vec<MunicipalityCode>),
}

impl Scope {
    /// How narrow the scope is: the higher, the more it takes precedence.
    pub const fn specificity(&self) -> u8 {
        match self {
            Self::Everyone => 0,
            Self::HomeMunicipalities(_) => 1,
            Self::Units(_) => 2,
            Self::RoleTags(_) => 3,
        }
    }

    /// Whether the scope covers the person.
    pub fn covers(&self, person: &PersonFacts) -> bool {
        match self {
            Self::Everyone => true,
            Self::RoleTags(tags) => person.role_tags.iter().any(|t| tags.contains(&normalise_tag(t))),
            Self::Units(units) => person.units.iter().any(|u| units.contains(u)),
            Self::HomeMunicipalities(codes) => person.home_municipality.is_some_and(|m| codes.contains(&m)),
        }
    }

    fn len(&self) -> usize {
        match self {
            Self::Everyone => 1,
            Self::RoleTags(v) => v.len(),
            Self::Units(v) => v.len(),
            Self::HomeMunicipalities(v) => v.len(),
        }
    }

    fn normalise(&mut self) {
        match self {
            Self::Everyone => {}
            Self::RoleTags(tags) => {
                for tag in tags.iter_mut() {
                    *tag = normalise_tag(tag);
                }
                tags.sort();
                tags.dedup();
            }
            Self::Units(units) => {
                units.sort();
                units.dedup();
            }
            Self::HomeMunicipalities(codes) => {
                codes.sort_by_key(ToString::to_string);
                codes.dedup();
            }
        }
    }

    fn validate(&self, index: usize) -> Result<(), InvalidPolicy> {
        if self.len() == 0 {
            return Err(InvalidPolicy::at(index, "applies_to", "name at least one, or use \"everyone\""));
        }
        if self.len() > MAX_SCOPE_ENTRIES {
            return Err(InvalidPolicy::at(index, "applies_to", format!("at most {MAX_SCOPE_ENTRIES} entries")));
        }
        if let Self::RoleTags(tags) = self {
            for (n, tag) in tags.iter().enumerate() {
                let field = format!("applies_to.role_tags[{n}]");
                if tag.is_empty() || tag.chars().count() > MAX_ROLE_TAG_CHARS {
                    return Err(InvalidPolicy::at(
                        index,
                        &field,
                        format!("a role tag has 1 to {MAX_ROLE_TAG_CHARS} characters"),
                    ));
                }
                if tag.chars().any(char::is_control) {
                    return Err(InvalidPolicy::at(index, &field, "control characters are not allowed"));
                }
                if *tag != normalise_tag(tag) {
                    return Err(InvalidPolicy::at(
                        index,
                        &field,
                        "not normalised (trimmed, single spaces, lower case)",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Normalises rules as an admin sent them (role tags, sorted and de-duplicated lists), then
/// checks them; the error names the rule and field, such as `rules[2].km`.
pub fn parse_rules(mut rules: Vec<Rule>) -> Result<Vec<Rule>, InvalidPolicy> {
    for rule in &mut rules {
        match rule {
            Rule::OwnOfficeWithin(r) => r.applies_to.normalise(),
            Rule::SiteKinds(r) => {
                r.applies_to.normalise();
                r.kinds.sort();
                r.kinds.dedup();
            }
            Rule::HubApproval(r) => r.applies_to.normalise(),
            Rule::MonthlyHubDays(r) => r.applies_to.normalise(),
            Rule::MonthlyBudget(_) => {}
            Rule::TeamDays(r) => {
                r.weekdays.sort();
                r.weekdays.dedup();
            }
        }
    }
    validate_rules(&rules)?;
    Ok(rules)
}

/// Checks rules, without changing them: each rule's values, and that no two rules of one kind
/// have the same scope (or unit), which would leave precedence to their order by accident.
pub fn validate_rules(rules: &[Rule]) -> Result<(), InvalidPolicy> {
    if rules.len() > MAX_RULES {
        return Err(InvalidPolicy::new("rules", format!("at most {MAX_RULES} rules")));
    }
    for (index, rule) in rules.iter().enumerate() {
        if let Some(scope) = rule.scope() {
            scope.validate(index)?;
        }
        validate_rule(index, rule)?;
        let same = rules[..index].iter().position(|earlier| {
            earlier.kind() == rule.kind()
                && match (earlier.scope(), rule.scope()) {
                    (Some(a), Some(b)) => a == b,
                    _ => earlier.unit() == rule.unit(),
                }
        });
        if let Some(earlier) = same {
            let field = if rule.scope().is_some() { "applies_to" } else { "unit_id" };
            return Err(InvalidPolicy::at(
                index,
                field,
                format!("rules[{earlier}] is a {} rule for the same people", rule.kind().key()),
            ));
        }
    }
    Ok(())
}

fn validate_rule(index: usize, rule: &Rule) -> Result<(), InvalidPolicy> {
    match rule {
        Rule::OwnOfficeWithin(r) => {
            if r.km > 1000 {
                return Err(InvalidPolicy::at(index, "km", "between 0 and 1000 km"));
            }
            if !r.road_factor.is_finite() || !(1.0..=2.0).contains(&r.road_factor) {
                return Err(InvalidPolicy::at(index, "road_factor", "between 1.0 and 2.0"));
            }
        }
        Rule::SiteKinds(r) => {
            if r.kinds.is_empty() {
                return Err(InvalidPolicy::at(index, "kinds", "allow at least one kind of site"));
            }
            if !is_sorted_unique(&r.kinds) {
                return Err(InvalidPolicy::at(index, "kinds", "listed twice or not normalised"));
            }
        }
        Rule::HubApproval(_) => {}
        Rule::MonthlyHubDays(r) => {
            if r.max_days > 31 {
                return Err(InvalidPolicy::at(index, "max_days", "between 0 and 31 days"));
            }
        }
        Rule::MonthlyBudget(r) => {
            if !(0..=10_000_000_000).contains(&r.amount_minor) {
                return Err(InvalidPolicy::at(index, "amount_minor", "between 0 and 10 000 000 000"));
            }
        }
        Rule::TeamDays(r) => {
            if r.weekdays.is_empty() {
                return Err(InvalidPolicy::at(index, "weekdays", "name at least one day"));
            }
            if !is_sorted_unique(&r.weekdays) {
                return Err(InvalidPolicy::at(index, "weekdays", "listed twice or not normalised"));
            }
        }
    }
    Ok(())
}

fn is_sorted_unique<T: Ord>(items: &[T]) -> bool {
    items.windows(2).all(|w| w[0] < w[1])
}

#[cfg(test)]
mod tests;
