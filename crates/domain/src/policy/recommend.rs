//! Recommendations: the places a person may use on a day, ranked, each with its reasons as data.
//!
//! The order is lexicographic, so that a person can follow it from the reasons alone:
//!
//! 1. what the policy says: allowed places, then those that need approval, then refused ones
//!    (listed last, with their refusal, so the person sees why);
//! 2. places the policy prefers (the organisation's own offices within an `own_office_within`
//!    threshold) before others;
//! 3. on a team day of the person's unit: more colleagues of the unit booked there first;
//! 4. the distance from home in bands: under 10 km, 10-30, 30-60, 60-100, 100 and more, then
//!    places whose distance is unknown (no home given);
//! 5. more colleagues of the unit booked there first;
//! 6. more other organisations present first (only counted at shared offices and co-working
//!    hubs, where meeting across organisations is the point);
//! 7. lower cost to the employer first (compared in minor units; a person's candidates normally
//!    share one currency);
//! 8. the exact distance, nearer first; then the site id, so that ties are always broken the
//!    same way.

use std::cmp::Ordering;

use chrono::{Datelike, NaiveDate};

use super::eval::{Assessment, Place, Situation, Verdict};
use super::{Day, RuleKind};
use crate::{LocalizedText, Price, SiteId, SiteKind};

/// A place with what is known about it on the day.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceContext {
    pub place: Place,
    /// People of the person's unit already booked there that day (the person not counted).
    pub colleagues_of_unit_booked: u32,
    /// Organisations other than the person's with people booked there that day.
    pub other_organisations_present: u32,
}

/// What a rule made of a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = PolicyEffect)]
pub enum Effect {
    /// The place is an own office within the `own_office_within` threshold (prefer mode).
    Preferred,
    /// As `preferred`, in require mode: places of other organisations are refused.
    Required,
    /// The rule allows the place.
    Allowed,
    /// The rule asks for the organisation's approval.
    NeedsApproval,
    /// The rule refuses the place.
    Refused,
    /// The day is a team day of the person's unit.
    TeamDay,
}

/// A rule that had a say about a place: its index in the policy, its kind and its effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[schema(as = AppliedPolicyRule)]
pub struct AppliedRule {
    pub rule_index: usize,
    pub rule: RuleKind,
    pub effect: Effect,
}

/// Why a place is where it is in the list.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
#[schema(as = RecommendationReasons)]
pub struct Reasons {
    /// Straight-line distance from home, to 0.1 km; none when the person gave no home.
    pub distance_km: Option<f64>,
    pub colleagues_of_unit_booked: u32,
    /// At shared offices and co-working hubs only.
    pub other_organisations_present: Option<u32>,
    /// What a seat-day costs the employer; none when it costs nothing (its own site, a free one).
    pub cost: Option<Price>,
    /// The policy prefers the place (an own office near home).
    pub preferred: bool,
    /// The day is a team day of the person's unit.
    pub team_day: bool,
    /// The rules that had a say, in the order they were applied.
    pub rules: Vec<AppliedRule>,
}

/// One place in the ranked list.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Recommendation {
    /// 1 for the best.
    pub rank: u32,
    pub site_id: SiteId,
    pub name: LocalizedText,
    pub kind: SiteKind,
    pub verdict: Verdict,
    pub reasons: Reasons,
}

/// The recommendations for one day of a week.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct DayRecommendations {
    pub date: NaiveDate,
    pub recommendations: Vec<Recommendation>,
}

/// Upper edges of the distance bands, km.
const BANDS_KM: [f64; 4] = [10.0, 30.0, 60.0, 100.0];

impl Situation<'_> {
    /// Ranks `places` for `date` (see the module documentation for the order). Every place is
    /// listed; refused ones come last with their refusal. The caller decides which places are
    /// candidates (those the site's terms admit, open that day, with a free space).
    pub fn recommend(&self, date: NaiveDate, places: &[PlaceContext]) -> Vec<Recommendation> {
        let team_day = self.team_days().filter(|(_, rule)| rule.weekdays.contains(&Day::of(date.weekday())));
        let home = self.person.home;
        let mut ranked: Vec<(Key, Recommendation)> = places
            .iter()
            .map(|context| {
                let place = &context.place;
                let Assessment { verdict, preferred, mut applied } = self.assess(place, date);
                if let Some((rule_index, _)) = team_day {
                    applied.push(AppliedRule { rule_index, rule: RuleKind::TeamDays, effect: Effect::TeamDay });
                }
                let distance = home.map(|h| h.distance_km(place.coordinates));
                let shared = matches!(place.kind, SiteKind::SharedOffice | SiteKind::CoworkingHub);
                let cost = place
                    .price_per_seat_day
                    .filter(|p| place.organisation_id != self.person.organisation_id && p.amount_minor > 0);
                let reasons = Reasons {
                    distance_km: distance.map(|km| (km * 10.0).round() / 10.0),
                    colleagues_of_unit_booked: context.colleagues_of_unit_booked,
                    other_organisations_present: shared.then_some(context.other_organisations_present),
                    cost,
                    preferred,
                    team_day: team_day.is_some(),
                    rules: applied,
                };
                let key = Key {
                    verdict: match verdict {
                        Verdict::Allowed => 0,
                        Verdict::NeedsApproval { .. } => 1,
                        Verdict::Refused { .. } => 2,
                    },
                    preferred,
                    team_colleagues: if team_day.is_some() { context.colleagues_of_unit_booked } else { 0 },
                    band: distance.map_or(BANDS_KM.len() + 1, |km| BANDS_KM.iter().filter(|&&edge| km >= edge).count()),
                    colleagues: context.colleagues_of_unit_booked,
                    others: reasons.other_organisations_present.unwrap_or(0),
                    cost: cost.map_or(0, |p| p.amount_minor),
                    distance,
                    site_id: place.site_id,
                };
                let recommendation = Recommendation {
                    rank: 0,
                    site_id: place.site_id,
                    name: place.name.clone(),
                    kind: place.kind,
                    verdict,
                    reasons,
                };
                (key, recommendation)
            })
            .collect();
        ranked.sort_by(|a, b| a.0.cmp(&b.0));
        ranked
            .into_iter()
            .zip(1..)
            .map(|((_, recommendation), rank)| Recommendation { rank, ..recommendation })
            .collect()
    }

    /// [`recommend`](Self::recommend) for several days, such as a week: each day ranked on its
    /// own (what is recommended on Monday does not count as used on Tuesday).
    pub fn recommend_days(&self, days: &[(NaiveDate, Vec<PlaceContext>)]) -> Vec<DayRecommendations> {
        days.iter()
            .map(|(date, places)| DayRecommendations { date: *date, recommendations: self.recommend(*date, places) })
            .collect()
    }
}

/// The sort key of a place: each field is one step of the order, in that order.
struct Key {
    verdict: u8,
    preferred: bool,
    team_colleagues: u32,
    band: usize,
    colleagues: u32,
    others: u32,
    cost: i64,
    distance: Option<f64>,
    site_id: SiteId,
}

impl Key {
    fn cmp(&self, other: &Self) -> Ordering {
        self.verdict
            .cmp(&other.verdict)
            .then_with(|| other.preferred.cmp(&self.preferred))
            .then_with(|| other.team_colleagues.cmp(&self.team_colleagues))
            .then_with(|| self.band.cmp(&other.band))
            .then_with(|| other.colleagues.cmp(&self.colleagues))
            .then_with(|| other.others.cmp(&self.others))
            .then_with(|| self.cost.cmp(&other.cost))
            .then_with(|| match (self.distance, other.distance) {
                (Some(a), Some(b)) => a.total_cmp(&b),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
            .then_with(|| self.site_id.cmp(&other.site_id))
    }
}
