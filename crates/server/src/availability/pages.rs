//! Find a place: free spaces on a date (and half day), of a kind, with an amenity, near home,
//! a municipality or a site; a list nearest first and a map of the same sites; booking the
//! first free space of a site in one click. Above the search, the places recommended for the
//! person on that date, ranked by their organisation's policy, each with its reasons in words,
//! and a plan for the rest of that week: each day, where the person is booked or the best place.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use std::collections::HashMap;

use chrono::{Datelike as _, NaiveDate};
use hubnet_domain::booking::Period;
use hubnet_domain::policy::{Recommendation, Verdict};
use hubnet_domain::{
    Amenity, BookingStatus, Coordinates, Language, MunicipalityCode, Site, SiteId, SpaceId, SpaceKind, TimeOfDay,
    TimeRange,
};
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::geography;
use crate::recommendations::{Ranked, booked_on, explain, recommend, week_of};
use crate::state::AppState;
use crate::web::page::{Choice, Chrome, Tr, error_page, municipality_name, price, render};
use crate::web::session::WebSession;
use crate::window::site_window;
use axum::Router;
use axum::routing::get;

/// The Find page, merged into [`crate::web::router`]; its Book buttons post to the bookings'
/// `/book` (`crate::bookings::pages`).
pub fn router() -> Router<AppState> {
    Router::new().route("/find", get(find_page))
}

/// At most this many sites in the list and on the map.
const MAX_SITES: usize = 25;
/// At most this many recommended places shown (allowed or needing approval; refused ones follow,
/// collapsed).
const MAX_RECOMMENDED: usize = 5;
/// How far from home recommendations look (the recommendations API's default).
const RECOMMEND_RADIUS_KM: f64 = 150.0;

#[derive(Debug, Default, Deserialize)]
pub struct FindQuery {
    date: Option<String>,
    period: Option<String>,
    kind: Option<String>,
    amenity: Option<String>,
    /// `home`, `municipality` or `site`.
    near: Option<String>,
    municipality: Option<String>,
    site: Option<String>,
    radius: Option<String>,
}

/// A site in the results.
pub struct SiteResult {
    pub id: SiteId,
    pub name: String,
    pub kind: String,
    pub municipality: String,
    pub distance: String,
    pub free_text: String,
    pub price: String,
    pub first_free: Option<SpaceId>,
    pub book_label: String,
}

/// A recommended place: its rank and its reasons, each in words.
pub struct RecommendedPlace {
    pub rank: u32,
    pub id: SiteId,
    pub name: String,
    pub kind: String,
    pub distance: String,
    /// None when the person belongs to no unit.
    pub colleagues: Option<String>,
    /// At shared offices and co-working hubs only.
    pub others: Option<String>,
    pub cost: String,
    /// What the policy makes of the place; none without a policy.
    pub standing: Option<String>,
    /// The rule's own sentence, for refusals and approvals.
    pub explanation: Option<String>,
    pub team_day: bool,
    pub free_text: String,
    /// The first free desk, for the Book button (not for refused places).
    pub first_free: Option<SpaceId>,
    /// The button asks for approval rather than books outright.
    pub ask: bool,
    pub book_label: String,
}

/// One day of the week plan: where the person is booked, or else the best place for them.
pub struct PlanDay {
    pub iso: String,
    pub heading: String,
    /// The person's bookings that day, each as "space, site" (and whether it waits for approval).
    pub booked: Vec<(String, bool)>,
    /// The best place that day when nothing is booked; none when no place is open near home.
    pub best: Option<RecommendedPlace>,
}

/// The "Recommended for you" section.
pub struct Recommended {
    /// Whether the person's organisation has a policy in force on the date.
    pub has_policy: bool,
    /// The best allowed places and those that need approval.
    pub places: Vec<RecommendedPlace>,
    /// Places the policy refuses, with the rule's reason.
    pub refused: Vec<RecommendedPlace>,
    pub refused_summary: String,
}

/// What the map script reads: the same sites as the list.
#[derive(Serialize)]
struct MapSite {
    name: String,
    lat: f64,
    lon: f64,
    free: String,
    url: String,
}

#[derive(Template)]
#[template(path = "find.html")]
struct FindPage {
    page: Chrome,
    date: String,
    min_date: String,
    periods: Vec<Choice>,
    kinds: Vec<Choice>,
    amenities: Vec<Choice>,
    nears: Vec<Choice>,
    municipalities: Vec<Choice>,
    sites: Vec<Choice>,
    radius: String,
    searched: bool,
    summary: String,
    recommended: Recommended,
    plan: Vec<PlanDay>,
    results: Vec<SiteResult>,
    period: String,
    map_json: String,
    map_tiles: String,
    leaflet_css: &'static str,
    leaflet_js: &'static str,
}

async fn find_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    uri: axum::http::Uri,
    Query(query): Query<FindQuery>,
) -> Response {
    match find(&state, &session, &query).await {
        Ok(page) => render(&page),
        // htmx would only take the results from this answer: have it load the error as a page.
        Err(_) if crate::web::session::is_htmx(&headers) => {
            crate::web::session::htmx_redirect(uri.path_and_query().map_or("/find", |p| p.as_str()))
        }
        Err(error) => error_page(&headers, Some(&session), &error),
    }
}

fn choices<T: Copy + PartialEq>(
    items: &[T],
    selected: T,
    value: impl Fn(T) -> String,
    label: impl Fn(T) -> String,
) -> Vec<Choice> {
    items.iter().map(|&item| Choice { value: value(item), label: label(item), selected: item == selected }).collect()
}

#[expect(clippy::too_many_lines, reason = "one form's fields and its results, in order")]
async fn find(state: &AppState, session: &WebSession, query: &FindQuery) -> Result<FindPage, AppError> {
    let language = session.language();
    let t = Tr(language);
    let me = &session.principal;
    let zone =
        state.store.organisations().get_organisation(me.person.organisation_id).await?.country.default_time_zone();
    let today = state.now().with_timezone(&zone).date_naive();
    let date = crate::web::page::chosen_date(query.date.as_deref(), today)?;
    let period = crate::web::page::chosen_period(query.period.as_deref());
    let period_key = crate::web::page::period_key;
    let kind = query
        .kind
        .as_deref()
        .filter(|k| !k.is_empty())
        .map(SpaceKind::from_key)
        .transpose()?
        .unwrap_or(SpaceKind::Desk);
    let amenity = query.amenity.as_deref().filter(|a| !a.is_empty()).map(Amenity::from_key).transpose()?;
    let home = me.person.home_municipality.and_then(geography::municipality);
    let near = query.near.as_deref().unwrap_or(if home.is_some() { "home" } else { "municipality" });
    let radius = query
        .radius
        .as_deref()
        .filter(|r| !r.is_empty())
        .map_or(Some(50.0), |r| r.trim().parse::<f64>().ok().filter(|r| *r > 0.0 && *r <= 500.0))
        .ok_or_else(|| AppError::invalid("radius", "a distance in kilometres above 0 and at most 500"))?;
    let chosen_municipality = query
        .municipality
        .as_deref()
        .filter(|m| !m.is_empty())
        .map(|m| {
            m.parse::<MunicipalityCode>()
                .ok()
                .and_then(geography::municipality)
                .ok_or(AppError::invalid("municipality", "unknown municipality"))
        })
        .transpose()?;
    let sites = state.directory.all_sites().await?;
    let chosen_site = query
        .site
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<SiteId>().ok().and_then(|id| sites.iter().find(|site| site.id == id)).ok_or(AppError::NotFound)
        })
        .transpose()?;
    let origin: Option<Coordinates> = match near {
        "home" => home.map(|m| m.centre),
        "site" => chosen_site.map(|s| s.coordinates),
        _ => chosen_municipality.map(|m| m.centre),
    };

    // The form.
    let mut nears = Vec::new();
    if let Some(home) = home {
        nears.push(Choice {
            value: "home".into(),
            label: t.with("web-find-near-home", "place", municipality_name(home, language)),
            selected: near == "home",
        });
    }
    nears.push(Choice {
        value: "municipality".into(),
        label: t.get("web-find-near-municipality"),
        selected: near == "municipality",
    });
    nears.push(Choice { value: "site".into(), label: t.get("web-find-near-site"), selected: near == "site" });
    let mut municipalities: Vec<Choice> = geography::municipalities()
        .iter()
        .map(|m| Choice {
            value: m.code.to_string(),
            label: municipality_name(m, language).to_owned(),
            selected: chosen_municipality.is_some_and(|c| c.code == m.code)
                || (chosen_municipality.is_none() && home.is_some_and(|h| h.code == m.code)),
        })
        .collect();
    municipalities.sort_by(|a, b| a.label.cmp(&b.label));
    let mut site_choices: Vec<Choice> = sites
        .iter()
        .filter(|s| s.admits(me.organisation_id()))
        .map(|s| Choice {
            value: s.id.to_string(),
            label: s.name.get(language).to_owned(),
            selected: chosen_site.is_some_and(|c| c.id == s.id),
        })
        .collect();
    site_choices.sort_by(|a, b| a.label.cmp(&b.label));
    let mut amenities =
        vec![Choice { value: String::new(), label: t.get("web-find-any"), selected: amenity.is_none() }];
    amenities.extend(Amenity::ALL.iter().map(|&a| Choice {
        value: a.key().into(),
        label: t.get(&format!("web-amenity-{}", a.key())),
        selected: amenity == Some(a),
    }));

    // The results.
    let searched = origin.is_some();
    let mut results = Vec::new();
    let mut map = Vec::new();
    let mut found = 0;
    if let Some(origin) = origin {
        let window = match period {
            Period::FullDay => (None, None),
            Period::Morning => (None, Some(TimeOfDay::NOON)),
            Period::Afternoon => (Some(TimeOfDay::NOON), None),
        };
        let (min, max) = origin.bounding_box(radius);
        let mut candidates: Vec<(f64, &Site, TimeRange)> = sites
            .iter()
            .filter(|s| s.coordinates.is_within(min, max) && s.admits(me.organisation_id()))
            .map(|s| (origin.distance_km(s.coordinates), s))
            .filter(|(d, _)| *d <= radius)
            .filter_map(|(d, s)| match site_window(s, date, window) {
                Ok(Ok((_, range))) => Some((d, s, range)),
                _ => None,
            })
            .collect();
        candidates.sort_by(|a, b| a.0.total_cmp(&b.0));
        candidates.truncate(MAX_SITES);
        let windows: Vec<(SiteId, TimeRange)> = candidates.iter().map(|(_, s, r)| (s.id, *r)).collect();
        let taken = state.store.bookings().taken_spaces(&windows).await?;
        for (distance, site, _) in candidates {
            let spaces = state.directory.spaces(site.id).await?;
            let matching: Vec<_> = spaces
                .iter()
                .filter(|s| s.bookable && s.kind == kind && amenity.is_none_or(|a| s.amenities.contains(&a)))
                .collect();
            if matching.is_empty() {
                continue;
            }
            let free: Vec<_> = matching.iter().filter(|s| !taken.contains(&s.id)).collect();
            found += free.len();
            let name = site.name.get(language).to_owned();
            let free_text =
                t.args("web-find-free", &[("free", free.len().to_string()), ("total", matching.len().to_string())]);
            let distance = t.with("web-find-distance", "km", &format_km(distance, language));
            map.push(MapSite {
                name: name.clone(),
                lat: site.coordinates.lat(),
                lon: site.coordinates.lon(),
                free: format!("{distance} · {free_text}"),
                url: format!("/sites/{}?date={date}", site.id),
            });
            results.push(SiteResult {
                id: site.id,
                book_label: t.args(
                    "web-book-label",
                    &[("space", free.first().map(|s| s.name.clone()).unwrap_or_default()), ("site", name.clone())],
                ),
                name,
                kind: t.get(&format!("web-site-kind-{}", site.kind.key())),
                municipality: geography::municipality(site.municipality)
                    .map(|m| municipality_name(m, language).to_owned())
                    .unwrap_or_default(),
                distance,
                free_text,
                price: price(site.price_per_seat_day, t),
                first_free: free.first().map(|s| s.id),
            });
        }
    }
    let ranked = recommend(state, &session.principal.person, date, RECOMMEND_RADIUS_KM).await?;
    let best_on_date = best_of(&ranked);
    let recommended = recommended(state, session, &sites, date, ranked).await?;
    let plan = week_plan(state, session, &sites, (date, best_on_date), today).await?;
    let page = Chrome::new(language, "web-find-title", Some(session), "/find", "find");
    let page =
        if searched || query.near.is_some() || home.is_some() { page } else { page.error(t.get("web-find-no-home")) };
    Ok(FindPage {
        page,
        date: date.to_string(),
        min_date: today.to_string(),
        periods: choices(
            &[Period::FullDay, Period::Morning, Period::Afternoon],
            period,
            |p| period_key(p).into(),
            |p| t.get(&format!("web-period-{}", period_key(p))),
        ),
        kinds: choices(SpaceKind::ALL, kind, |k| k.key().into(), |k| t.get(&format!("web-kind-{}", k.key()))),
        amenities,
        nears,
        municipalities,
        sites: site_choices,
        radius: format_km(radius, Language::En),
        searched,
        summary: t.count("web-find-results", found),
        recommended,
        plan,
        results,
        period: period_key(period).into(),
        // Inside a script element: no "<" may end it early.
        map_json: serde_json::to_string(&map).map_err(|e| AppError::Internal(e.to_string()))?.replace('<', "\\u003c"),
        map_tiles: state.config.map_tile_url.clone().unwrap_or_default(),
        leaflet_css: crate::web::assets::LEAFLET_CSS,
        leaflet_js: crate::web::assets::LEAFLET_JS,
    })
}

/// The places recommended for the session's person on `date`: the best [`MAX_RECOMMENDED`]
/// allowed or needing approval, then the refused ones, each with its reasons in words.
async fn recommended(
    state: &AppState,
    session: &WebSession,
    sites: &[Site],
    date: NaiveDate,
    ranked: Ranked,
) -> Result<Recommended, AppError> {
    let t = Tr(session.language());
    let has_policy = ranked.version.is_some();
    let (refused, allowed): (Vec<_>, Vec<_>) = ranked.places.into_iter().partition(|(r, _)| r.verdict.is_refused());
    let refused_count = refused.len();
    let allowed: Vec<_> = allowed.into_iter().take(MAX_RECOMMENDED).collect();
    let first_free = first_free_desks(state, sites, allowed.iter().map(|(r, _)| r.site_id), date).await?;
    let show = |(r, free)| describe(session, has_policy, r, free, &first_free);
    Ok(Recommended {
        has_policy,
        places: allowed.into_iter().map(show).collect(),
        refused: refused.into_iter().map(show).collect(),
        refused_summary: t.count("web-rec-refused-count", refused_count),
    })
}

/// The best place of a ranking that the policy does not refuse, and whether a policy ranked it.
fn best_of(ranked: &Ranked) -> (bool, Option<(Recommendation, u32)>) {
    (ranked.version.is_some(), ranked.places.iter().find(|(r, _)| !r.verdict.is_refused()).cloned())
}

/// The week of `date` from `today` on, Monday to Friday (and a weekend day when something is
/// booked or open then): each day where the person is booked, or else the best place for them
/// (for `date` itself, the best of the ranking already made).
async fn week_plan(
    state: &AppState,
    session: &WebSession,
    sites: &[Site],
    (date, best_on_date): (NaiveDate, (bool, Option<(Recommendation, u32)>)),
    today: NaiveDate,
) -> Result<Vec<PlanDay>, AppError> {
    let t = Tr(session.language());
    let person = &session.principal.person;
    let days: Vec<NaiveDate> = week_of(date).into_iter().filter(|d| *d >= today).collect();
    let mut booked = booked_on(state, person, &days).await?;
    let mut plan = Vec::new();
    for day in days {
        let mut names = Vec::new();
        for b in booked.remove(&day).unwrap_or_default() {
            let site = sites.iter().find(|s| s.id == b.site_id);
            let spaces = state.directory.spaces(b.site_id).await?;
            let space = spaces.iter().find(|s| s.id == b.space_id).map(|s| s.name.clone()).unwrap_or_default();
            let site = site.map(|s| s.name.get(t.0).to_owned()).unwrap_or_default();
            names.push((format!("{space}, {site}"), b.status == BookingStatus::PendingApproval));
        }
        let best = if names.is_empty() {
            let (has_policy, best) = if day == date {
                best_on_date.clone()
            } else {
                best_of(&recommend(state, person, day, RECOMMEND_RADIUS_KM).await?)
            };
            match best {
                Some((r, free)) => {
                    let first_free = first_free_desks(state, sites, [r.site_id], day).await?;
                    Some(describe(session, has_policy, r, free, &first_free))
                }
                None => None,
            }
        } else {
            None
        };
        let weekend = day.weekday().num_days_from_monday() >= 5;
        if !weekend || !names.is_empty() || best.is_some() {
            plan.push(PlanDay { iso: day.to_string(), heading: t.day_heading(day), booked: names, best });
        }
    }
    Ok(plan)
}

/// The first free desk of each of `wanted` on `date`, for Book buttons: its id, its name, and
/// whether the site or the desk asks for approval.
async fn first_free_desks(
    state: &AppState,
    sites: &[Site],
    wanted: impl IntoIterator<Item = SiteId>,
    date: NaiveDate,
) -> Result<HashMap<SiteId, FreeDesk>, AppError> {
    let windows: Vec<(SiteId, TimeRange)> = wanted
        .into_iter()
        .filter_map(|id| sites.iter().find(|s| s.id == id))
        .filter_map(|s| match site_window(s, date, (None, None)) {
            Ok(Ok((_, range))) => Some((s.id, range)),
            _ => None,
        })
        .collect();
    let taken = state.store.bookings().taken_spaces(&windows).await?;
    let mut first_free = HashMap::new();
    for (site_id, _) in &windows {
        let site_asks = sites.iter().any(|s| s.id == *site_id && s.access.approval_required);
        let spaces = state.directory.spaces(*site_id).await?;
        if let Some(space) = spaces.iter().find(|s| s.bookable && s.kind == SpaceKind::Desk && !taken.contains(&s.id)) {
            let asks = site_asks || space.approval_required;
            first_free.insert(*site_id, FreeDesk { id: space.id, name: space.name.clone(), asks });
        }
    }
    Ok(first_free)
}

/// A free desk for a Book button.
pub struct FreeDesk {
    id: SpaceId,
    name: String,
    /// The site or the desk asks for approval: the button asks for it too.
    asks: bool,
}

/// A recommended place with its reasons in words; a Book button (or, where the policy asks for
/// approval, an Ask button) on the first free desk unless the policy refuses the place.
fn describe(
    session: &WebSession,
    has_policy: bool,
    r: Recommendation,
    free: u32,
    first_free: &HashMap<SiteId, FreeDesk>,
) -> RecommendedPlace {
    let language = session.language();
    let t = Tr(language);
    let reasons = &r.reasons;
    let name = r.name.get(language).to_owned();
    let refused = r.verdict.is_refused();
    let policy_asks = matches!(r.verdict, Verdict::NeedsApproval { .. });
    let (standing, findings) = match r.verdict {
        Verdict::Allowed if reasons.preferred => ("web-rec-preferred", vec![]),
        Verdict::Allowed => ("web-rec-allowed", vec![]),
        Verdict::NeedsApproval { reasons } => ("web-rec-needs-approval", reasons),
        Verdict::Refused { reason } => ("web-rec-refused", vec![reason]),
    };
    let explanation = findings.into_iter().map(|f| explain(f, language)).collect::<Vec<_>>().join(" ");
    let free_desk = first_free.get(&r.site_id).filter(|_| !refused);
    let ask = policy_asks || free_desk.is_some_and(|d| d.asks);
    RecommendedPlace {
        rank: r.rank,
        id: r.site_id,
        kind: t.get(&format!("web-site-kind-{}", r.kind.key())),
        distance: reasons.distance_km.map_or_else(
            || t.get("web-rec-distance-unknown"),
            |km| t.with("web-rec-distance", "km", &format_km(km, language)),
        ),
        colleagues: session
            .principal
            .person
            .unit_id
            .map(|_| t.count("web-rec-colleagues", reasons.colleagues_of_unit_booked as usize)),
        others: reasons.other_organisations_present.map(|n| t.count("web-rec-others", n as usize)),
        cost: reasons.cost.map_or_else(|| t.get("web-rec-no-cost"), |p| price(Some(p), t)),
        standing: has_policy.then(|| t.get(standing)),
        explanation: (!explanation.is_empty()).then_some(explanation),
        team_day: reasons.team_day,
        free_text: t.count("web-rec-free-desks", free as usize),
        first_free: free_desk.map(|d| d.id),
        ask,
        book_label: t.args(
            if ask { "web-rec-ask-label" } else { "web-book-label" },
            &[("space", free_desk.map(|d| d.name.clone()).unwrap_or_default()), ("site", name.clone())],
        ),
        name,
    }
}

/// Kilometres with one decimal, in the language's way (3,5 km in Finnish and Swedish).
fn format_km(km: f64, language: Language) -> String {
    let text = format!("{:.1}", (km * 10.0).round() / 10.0);
    if language == Language::En { text } else { text.replace('.', ",") }
}
