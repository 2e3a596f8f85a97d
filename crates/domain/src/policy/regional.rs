//! The regional plan's rule of Region Jämtland Härjedalen, ready for the demo to load.
//!
//! - Everyone: the own office is required when it lies within 70 km of home (straight line), for
//!   the social work environment; co-working hubs are for those living further away.
//! - Cross-sector coordinators, who drive issues across sectors and need to meet other actors:
//!   any kind of site, co-working hubs included, regardless of distance (the narrower scope
//!   lifts the distance rule).
//! - At most 8 days a month at external co-working hubs (12 for coordinators); beyond that a
//!   person may ask for approval. That is where approval is useful: occasional extra hub days,
//!   not every day a person far from the office works near home.
//!
//! A monthly budget per unit is left to the demo, which knows the units' ids.

use super::{MonthlyHubDays, OfficeMode, OwnOfficeWithin, Rule, Scope, SiteKinds};
use crate::SiteKind;

/// The rules as JSON, as an organisation admin would send them to the API.
pub const JAMTLAND_HARJEDALEN_JSON: &str = include_str!("../../fixtures/policy-region-jamtland-harjedalen.json");

/// The role tag of people whose work crosses sectors.
pub const CROSS_SECTOR_COORDINATOR: &str = "cross-sector coordinator";

/// The same rules as [`JAMTLAND_HARJEDALEN_JSON`], built in code.
pub fn jamtland_harjedalen_rules() -> Vec<Rule> {
    let coordinators = || Scope::RoleTags(vec![CROSS_SECTOR_COORDINATOR.to_owned()]);
    vec![
        Rule::OwnOfficeWithin(OwnOfficeWithin {
            km: 70,
            road_factor: 1.0,
            mode: OfficeMode::Require,
            applies_to: Scope::Everyone,
            exceptions_allowed: false,
        }),
        Rule::SiteKinds(SiteKinds {
            kinds: vec![SiteKind::OwnOffice, SiteKind::SharedOffice, SiteKind::CoworkingHub, SiteKind::ServicePoint],
            applies_to: coordinators(),
            exceptions_allowed: false,
        }),
        Rule::MonthlyHubDays(MonthlyHubDays { max_days: 8, applies_to: Scope::Everyone, exceptions_allowed: true }),
        Rule::MonthlyHubDays(MonthlyHubDays { max_days: 12, applies_to: coordinators(), exceptions_allowed: true }),
    ]
}
