//! Eligibility: whether a person may use a place on a day under their organisation's rules, and
//! if not, which rule says no and why, as data with a stable code.

use chrono::{Datelike, NaiveDate};

use super::{OfficeMode, Rule, Scope};
use crate::money::Currency;
use crate::{Coordinates, LocalizedText, MunicipalityCode, OrganisationId, Price, Site, SiteId, SiteKind, UnitId};

/// What the rules need to know about a person. The server assembles it from the person, their
/// unit tree and their role tags; nothing here is a street address.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonFacts {
    pub organisation_id: OrganisationId,
    /// The person's unit first, then its parent, up to the top unit; empty without a unit.
    pub units: Vec<UnitId>,
    /// Role tags such as "cross-sector coordinator" (compared normalised).
    pub role_tags: Vec<String>,
    pub home_municipality: Option<MunicipalityCode>,
    /// Where "near home" is measured from: the municipality's centre unless the person gave a
    /// (postal-code level) point.
    pub home: Option<Coordinates>,
}

/// One of the organisation's own offices, for measuring how near home the nearest one is. All of
/// them count, whether or not they are among the places being considered.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnOffice {
    pub site_id: SiteId,
    pub name: LocalizedText,
    pub coordinates: Coordinates,
}

impl OwnOffice {
    pub fn from_site(site: &Site) -> Self {
        Self { site_id: site.id, name: site.name.clone(), coordinates: site.coordinates }
    }
}

/// A place a person might work at: what the rules need to know about a site.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub site_id: SiteId,
    pub name: LocalizedText,
    pub kind: SiteKind,
    /// The owner; for a co-working hub, its provider.
    pub organisation_id: OrganisationId,
    pub coordinates: Coordinates,
    /// What a seat-day costs the booker's employer, if it pays.
    pub price_per_seat_day: Option<Price>,
}

impl Place {
    pub fn from_site(site: &Site) -> Self {
        Self {
            site_id: site.id,
            name: site.name.clone(),
            kind: site.kind,
            organisation_id: site.organisation_id,
            coordinates: site.coordinates,
            price_per_seat_day: site.price_per_seat_day,
        }
    }
}

/// What the person and their units have already used, for the monthly caps and budgets.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Usage {
    /// The days on which the person holds an active booking at an external co-working hub (any
    /// month; the rules count the place's month).
    pub hub_days: Vec<NaiveDate>,
    /// What each unit's people have spent on external seats per month, sub-units included. A
    /// unit and month not listed has spent nothing.
    pub unit_spend: Vec<UnitSpend>,
}

/// A unit's spending on external seats in one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitSpend {
    pub unit_id: UnitId,
    pub year: i32,
    /// 1-12.
    pub month: u32,
    pub spent_minor: i64,
}

/// Whether a person may use a place on a day under their organisation's policy. The site's own
/// terms (who may book, a host's approval) are checked separately, by the booking rules.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
#[serde(tag = "verdict", rename_all = "snake_case")]
#[schema(as = PolicyVerdict)]
pub enum Verdict {
    Allowed,
    /// The booking may be made, but waits for the organisation's approval, for these reasons.
    NeedsApproval {
        reasons: Vec<Finding>,
    },
    /// The first rule (in the order of [`Situation::evaluate`]) that says no.
    Refused {
        reason: Finding,
    },
}

impl Verdict {
    pub const fn is_refused(&self) -> bool {
        matches!(self, Self::Refused { .. })
    }
}

/// A rule's objection: which rule (its index in the policy's list) and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
#[schema(as = PolicyFinding)]
pub struct Finding {
    pub rule_index: usize,
    #[serde(flatten)]
    pub reason: Reason,
}

/// Why a rule refuses a place, or asks for approval: a stable code (`code` in JSON, the
/// translation key) and the values the sentence needs. Each variant shows its sentence in
/// en, sv and fi; `docs/policies.md` lists them all.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
#[serde(tag = "code")]
#[schema(as = PolicyReason)]
pub enum Reason {
    /// `policy_own_office_required` (`kind` is the refused place's kind; the sentence names it
    /// in the plural):
    /// - en: "Your own office Regionens hus, Östersund is 61 km from your home; co-working hubs
    ///   are for those living over 70 km away."
    /// - sv: "Ditt eget kontor Regionens hus, Östersund ligger 61 km från ditt hem;
    ///   coworkinghubbar är till för dem som bor mer än 70 km bort."
    /// - fi: "Oma toimistosi Regionens hus, Östersund on 61 km:n päässä kodistasi;
    ///   yhteistyötilat ovat niille, jotka asuvat yli 70 km:n päässä."
    #[serde(rename = "policy_own_office_required")]
    OwnOfficeRequired {
        office: LocalizedText,
        /// Home to the nearest own office, straight line times the road factor, whole km.
        distance_km: u32,
        threshold_km: u16,
        kind: SiteKind,
    },
    /// `policy_site_kind_not_allowed`:
    /// - en: "Your organisation's policy does not include co-working hubs for you; you may use
    ///   own offices and shared offices."
    /// - sv: "Din organisations policy omfattar inte coworkinghubbar för dig; du kan använda
    ///   egna kontor och delade kontor."
    /// - fi: "Organisaatiosi käytäntö ei salli sinulle yhteistyötiloja; voit käyttää omia
    ///   toimistoja ja yhteisiä toimistoja."
    #[serde(rename = "policy_site_kind_not_allowed")]
    SiteKindNotAllowed { kind: SiteKind, allowed: Vec<SiteKind> },
    /// `policy_monthly_hub_days_used` (`month` as `YYYY-MM`):
    /// - en: "You have already used 8 co-working hub days in November 2026; the limit is 8."
    /// - sv: "Du har redan använt 8 hubbdagar i november 2026; gränsen är 8."
    /// - fi: "Olet käyttänyt marraskuussa 2026 jo 8 yhteistyötilapäivää; enimmäismäärä on 8."
    #[serde(rename = "policy_monthly_hub_days_used")]
    MonthlyHubDaysUsed { max_days: u8, used_days: u32, month: String },
    /// `policy_budget_exhausted` (amounts in minor units; `month` as `YYYY-MM`):
    /// - en: "Your unit's budget for external workplaces in November 2026 has 150 SEK left of
    ///   5 000 SEK; this place costs 250 SEK a day."
    /// - sv: "Din enhets budget för externa arbetsplatser i november 2026 har 150 SEK kvar av
    ///   5 000 SEK; den här platsen kostar 250 SEK per dag."
    /// - fi: "Yksikkösi ulkoisten työtilojen budjetista on marraskuulle 2026 jäljellä 150 SEK
    ///   (budjetti 5 000 SEK); tämä paikka maksaa 250 SEK päivältä."
    #[serde(rename = "policy_budget_exhausted")]
    BudgetExhausted {
        unit_id: UnitId,
        budget_minor: i64,
        spent_minor: i64,
        remaining_minor: i64,
        cost_minor: i64,
        currency: Currency,
        month: String,
    },
    /// `policy_budget_currency_mismatch`:
    /// - en: "This place is priced in EUR, but your unit's budget is in SEK."
    /// - sv: "Den här platsen har priser i EUR, men din enhets budget är i SEK."
    /// - fi: "Tämän paikan hinta on valuutassa EUR, mutta yksikkösi budjetti on valuutassa SEK."
    #[serde(rename = "policy_budget_currency_mismatch")]
    BudgetCurrencyMismatch { unit_id: UnitId, budget_currency: Currency, price_currency: Currency },
    /// `policy_hub_approval_required`:
    /// - en: "Your organisation approves days at co-working hubs in advance."
    /// - sv: "Din organisation godkänner dagar på coworkinghubbar i förväg."
    /// - fi: "Organisaatiosi hyväksyy yhteistyötilapäivät etukäteen."
    #[serde(rename = "policy_hub_approval_required")]
    HubApprovalRequired,
}

impl Reason {
    /// The stable code: the API's `code` and the translation key.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::OwnOfficeRequired { .. } => "policy_own_office_required",
            Self::SiteKindNotAllowed { .. } => "policy_site_kind_not_allowed",
            Self::MonthlyHubDaysUsed { .. } => "policy_monthly_hub_days_used",
            Self::BudgetExhausted { .. } => "policy_budget_exhausted",
            Self::BudgetCurrencyMismatch { .. } => "policy_budget_currency_mismatch",
            Self::HubApprovalRequired => "policy_hub_approval_required",
        }
    }

    /// Every code, for checking that each has a translation.
    pub const CODES: [&'static str; 6] = [
        "policy_own_office_required",
        "policy_site_kind_not_allowed",
        "policy_monthly_hub_days_used",
        "policy_budget_exhausted",
        "policy_budget_currency_mismatch",
        "policy_hub_approval_required",
    ];
}

/// A person with their organisation's rules, own offices and usage: everything the rules need
/// besides the place and the day. A missing policy is an empty rule list (everything allowed).
#[derive(Debug, Clone, Copy)]
pub struct Situation<'a> {
    pub rules: &'a [Rule],
    pub person: &'a PersonFacts,
    pub own_offices: &'a [OwnOffice],
    pub usage: &'a Usage,
}

/// What the rules make of one place on one day: the verdict, and for recommendations whether
/// the policy prefers the place and which rules had a say.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Assessment {
    pub verdict: Verdict,
    pub preferred: bool,
    pub applied: Vec<super::AppliedRule>,
}

impl<'a> Situation<'a> {
    /// Whether the person may use `place` on `date`. The rules are checked in this order, and
    /// the first that refuses decides: `site_kinds`, `own_office_within`, `monthly_hub_days`,
    /// `monthly_budget`. A refusing rule with `exceptions_allowed` asks for approval instead,
    /// as does `hub_approval`; a refusal outweighs any request for approval.
    pub fn evaluate(&self, place: &Place, date: NaiveDate) -> Verdict {
        self.assess(place, date).verdict
    }

    pub(super) fn assess(&self, place: &Place, date: NaiveDate) -> Assessment {
        use super::Effect;
        let person = self.person;
        let external = place.organisation_id != person.organisation_id;
        let external_hub = external && place.kind == SiteKind::CoworkingHub;
        let mut out = Outcome::default();

        let kinds = self.effective(|r| match r {
            Rule::SiteKinds(k) => Some((k, &k.applies_to)),
            _ => None,
        });
        if let Some((index, rule)) = kinds {
            if rule.kinds.contains(&place.kind) {
                out.note(index, Effect::Allowed);
            } else {
                let reason = Reason::SiteKindNotAllowed { kind: place.kind, allowed: rule.kinds.clone() };
                out.object(index, reason, rule.exceptions_allowed);
            }
        }

        let office = self.effective(|r| match r {
            Rule::OwnOfficeWithin(o) => Some((o, &o.applies_to)),
            _ => None,
        });
        // A narrower site_kinds rule that allows this kind lifts the distance rule for it.
        let lifted = matches!((kinds, office), (Some((_, k)), Some((_, o)))
            if k.applies_to.specificity() > o.applies_to.specificity() && k.kinds.contains(&place.kind));
        if let Some((index, rule)) = office.filter(|_| !lifted)
            && let Some((nearest, distance_km)) = self.nearest_own_office(rule.road_factor)
        {
            if distance_km >= u32::from(rule.km) {
                if external {
                    out.note(index, Effect::Allowed);
                }
            } else if !external && place.kind == SiteKind::OwnOffice {
                out.preferred = true;
                out.note(index, if rule.mode == OfficeMode::Require { Effect::Required } else { Effect::Preferred });
            } else if external && rule.mode == OfficeMode::Require {
                let reason = Reason::OwnOfficeRequired {
                    office: nearest.name.clone(),
                    distance_km,
                    threshold_km: rule.km,
                    kind: place.kind,
                };
                out.object(index, reason, rule.exceptions_allowed);
            }
        }

        if external_hub
            && let Some((index, rule)) = self.effective(|r| match r {
                Rule::MonthlyHubDays(m) => Some((m, &m.applies_to)),
                _ => None,
            })
        {
            let mut days: Vec<NaiveDate> =
                self.usage.hub_days.iter().copied().filter(|d| same_month(*d, date)).collect();
            days.sort();
            days.dedup();
            let used = u32::try_from(days.len()).unwrap_or(u32::MAX);
            if days.contains(&date) || used < u32::from(rule.max_days) {
                out.note(index, Effect::Allowed);
            } else {
                let reason =
                    Reason::MonthlyHubDaysUsed { max_days: rule.max_days, used_days: used, month: month_key(date) };
                out.object(index, reason, rule.exceptions_allowed);
            }
        }

        if let Some(price) = place.price_per_seat_day.filter(|p| external && p.amount_minor > 0)
            && let Some((index, budget)) = self.budget()
        {
            let spent = self.spent(budget.unit_id, date);
            let remaining = (budget.amount_minor - spent).max(0);
            if price.currency != budget.currency {
                let reason = Reason::BudgetCurrencyMismatch {
                    unit_id: budget.unit_id,
                    budget_currency: budget.currency,
                    price_currency: price.currency,
                };
                out.object(index, reason, budget.exceptions_allowed);
            } else if price.amount_minor > remaining {
                let reason = Reason::BudgetExhausted {
                    unit_id: budget.unit_id,
                    budget_minor: budget.amount_minor,
                    spent_minor: spent,
                    remaining_minor: remaining,
                    cost_minor: price.amount_minor,
                    currency: budget.currency,
                    month: month_key(date),
                };
                out.object(index, reason, budget.exceptions_allowed);
            } else {
                out.note(index, Effect::Allowed);
            }
        }

        if external_hub
            && let Some((index, rule)) = self.effective(|r| match r {
                Rule::HubApproval(h) => Some((h, &h.applies_to)),
                _ => None,
            })
            && rule.required
        {
            out.object(index, Reason::HubApprovalRequired, true);
        }

        out.finish(self.rules)
    }

    /// The rule of one kind that applies to the person: the narrowest scope that covers them,
    /// the earlier of equally narrow ones.
    fn effective<T>(&self, pick: impl Fn(&'a Rule) -> Option<(&'a T, &'a Scope)>) -> Option<(usize, &'a T)> {
        let mut best: Option<(usize, &'a T, u8)> = None;
        for (index, rule) in self.rules.iter().enumerate() {
            let Some((rule, scope)) = pick(rule) else { continue };
            if scope.covers(self.person) && best.is_none_or(|(_, _, s)| scope.specificity() > s) {
                best = Some((index, rule, scope.specificity()));
            }
        }
        best.map(|(index, rule, _)| (index, rule))
    }

    /// The nearest own office and its distance from home (times `road_factor`), in whole km.
    pub(super) fn nearest_own_office(&self, road_factor: f64) -> Option<(&OwnOffice, u32)> {
        let home = self.person.home?;
        self.own_offices
            .iter()
            .map(|office| (office, home.distance_km(office.coordinates)))
            .min_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.site_id.cmp(&b.0.site_id)))
            .map(|(office, km)| (office, whole_km(km * road_factor)))
    }

    /// The budget rule of the person's nearest unit that has one.
    fn budget(&self) -> Option<(usize, &super::MonthlyBudget)> {
        self.person.units.iter().find_map(|unit| {
            self.rules.iter().enumerate().find_map(|(index, rule)| match rule {
                Rule::MonthlyBudget(b) if b.unit_id == *unit => Some((index, b)),
                _ => None,
            })
        })
    }

    /// The team-day rule of the person's nearest unit that has one.
    pub(super) fn team_days(&self) -> Option<(usize, &super::TeamDays)> {
        self.person.units.iter().find_map(|unit| {
            self.rules.iter().enumerate().find_map(|(index, rule)| match rule {
                Rule::TeamDays(t) if t.unit_id == *unit => Some((index, t)),
                _ => None,
            })
        })
    }

    fn spent(&self, unit: UnitId, date: NaiveDate) -> i64 {
        self.usage
            .unit_spend
            .iter()
            .filter(|s| s.unit_id == unit && s.year == date.year() && s.month == date.month())
            .map(|s| s.spent_minor)
            .sum()
    }
}

/// Collects what the rules say about one place.
#[derive(Default)]
struct Outcome {
    refusal: Option<Finding>,
    approvals: Vec<Finding>,
    preferred: bool,
    applied: Vec<(usize, super::Effect)>,
}

impl Outcome {
    fn note(&mut self, rule_index: usize, effect: super::Effect) {
        self.applied.push((rule_index, effect));
    }

    fn object(&mut self, rule_index: usize, reason: Reason, exceptions_allowed: bool) {
        let finding = Finding { rule_index, reason };
        if exceptions_allowed {
            self.note(rule_index, super::Effect::NeedsApproval);
            self.approvals.push(finding);
        } else {
            self.note(rule_index, super::Effect::Refused);
            self.refusal.get_or_insert(finding);
        }
    }

    fn finish(self, rules: &[Rule]) -> Assessment {
        let verdict = match (self.refusal, self.approvals.is_empty()) {
            (Some(reason), _) => Verdict::Refused { reason },
            (None, false) => Verdict::NeedsApproval { reasons: self.approvals },
            (None, true) => Verdict::Allowed,
        };
        let applied = self
            .applied
            .into_iter()
            .map(|(rule_index, effect)| super::AppliedRule { rule_index, rule: rules[rule_index].kind(), effect })
            .collect();
        Assessment { verdict, preferred: self.preferred, applied }
    }
}

fn same_month(a: NaiveDate, b: NaiveDate) -> bool {
    a.year() == b.year() && a.month() == b.month()
}

fn month_key(date: NaiveDate) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

/// Rounds a distance to whole kilometres, as people read it: rules compare what they show.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "a distance on Earth is between 0 and some 20 000 km"
)]
pub(super) fn whole_km(km: f64) -> u32 {
    km.round().max(0.0) as u32
}
