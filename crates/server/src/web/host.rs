//! Host and admin pages: the sites a person runs (as their host, or as an admin of the owner),
//! each with its bookings today and tomorrow, a form for its names, opening hours and access
//! terms, and its floors and spaces (add, rename, set amenities, make fixed or bookable).
//! Every change is written to the audit log of the site's owner, as through the API.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse as _, Redirect, Response};
use chrono::{Duration, TimeZone as _, Weekday};
use hubnet_domain::audit::{AuditAction, SubjectKind};
use hubnet_domain::space::normalise;
use hubnet_domain::{
    Amenity, DayHours, Floor, FloorId, LocalizedText, Site, SiteId, Space, SpaceId, SpaceKind, WeeklyHours, WhoMayBook,
};
use hubnet_store::BookingFilter;
use serde::Deserialize;

use super::find::Choice;
use super::page::{Chrome, Tr, error_page, render};
use super::session::WebSession;
use crate::AppState;
use crate::api::new_id;
use crate::audit::{self, Subject, changed_fields};
use crate::error::AppError;

const WEEKDAYS: [(Weekday, &str); 7] = [
    (Weekday::Mon, "mon"),
    (Weekday::Tue, "tue"),
    (Weekday::Wed, "wed"),
    (Weekday::Thu, "thu"),
    (Weekday::Fri, "fri"),
    (Weekday::Sat, "sat"),
    (Weekday::Sun, "sun"),
];

pub struct SiteLink {
    pub id: SiteId,
    pub name: String,
}

#[derive(Template)]
#[template(path = "host.html")]
struct HostPage {
    page: Chrome,
    sites: Vec<SiteLink>,
}

/// The sites this person may change.
async fn managed_sites(state: &AppState, session: &WebSession) -> Result<Vec<Site>, AppError> {
    let sites = state.directory.all_sites().await?;
    Ok(sites.iter().filter(|s| session.principal.can_manage_site(s)).cloned().collect())
}

pub async fn host_page(State(state): State<AppState>, headers: HeaderMap, session: WebSession) -> Response {
    let language = session.language();
    match managed_sites(&state, &session).await {
        Ok(sites) => {
            let mut sites: Vec<SiteLink> =
                sites.iter().map(|s| SiteLink { id: s.id, name: s.name.get(language).to_owned() }).collect();
            sites.sort_by(|a, b| a.name.cmp(&b.name));
            let page = Chrome::new(language, "web-host-title", Some(&session), "/host", "host");
            render(&HostPage { page, sites })
        }
        Err(error) => error_page(&headers, Some(&session), &error),
    }
}

pub struct DayRow {
    pub day: String,
    pub key: &'static str,
    pub opens: String,
    pub closes: String,
    pub closed: bool,
}

pub struct BookingRow {
    pub day: String,
    pub time: String,
    pub space: String,
    pub person: String,
}

pub struct SpaceRow {
    pub id: SpaceId,
    pub name: String,
    pub floor: String,
    pub kind: String,
    pub bookable: bool,
    pub amenities: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "host_site.html")]
struct HostSitePage {
    page: Chrome,
    site_id: SiteId,
    name_fi: String,
    name_sv: String,
    name_en: String,
    days: Vec<DayRow>,
    registration: bool,
    approval: bool,
    who: Vec<Choice>,
    bookings: Vec<BookingRow>,
    floors: Vec<Choice>,
    kinds: Vec<Choice>,
    amenities: Vec<Choice>,
    spaces: Vec<SpaceRow>,
}

#[derive(Debug, Default, Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

pub async fn host_site_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    match host_site(&state, &session, &id, &query, None).await {
        Ok(page) => render(&page),
        Err(error) => error_page(&headers, Some(&session), &error),
    }
}

/// The site, if the person may change it; a site they may not change does not exist for them here.
async fn manageable(state: &AppState, session: &WebSession, id: &str) -> Result<Site, AppError> {
    let id: SiteId = id.parse().map_err(|_| AppError::NotFound)?;
    let site = state.store.get_site(id).await?;
    if session.principal.can_manage_site(&site) { Ok(site) } else { Err(AppError::NotFound) }
}

fn amenity_choices(t: Tr, chosen: &[Amenity]) -> Vec<Choice> {
    Amenity::ALL
        .iter()
        .map(|a| Choice {
            value: a.key().to_owned(),
            label: t.get(&format!("web-amenity-{}", a.key())),
            selected: chosen.contains(a),
        })
        .collect()
}

/// A refused form, shown again with what was typed and why it was refused.
struct Refused<'f> {
    fields: &'f Fields,
    error: &'f AppError,
}

async fn host_site(
    state: &AppState,
    session: &WebSession,
    id: &str,
    query: &NoticeQuery,
    refused: Option<Refused<'_>>,
) -> Result<HostSitePage, AppError> {
    let language = session.language();
    let t = Tr(language);
    let site = manageable(state, session, id).await?;
    let days = WEEKDAYS
        .iter()
        .enumerate()
        .map(|(n, (weekday, key))| {
            let hours = site.opening_hours.on(*weekday);
            let typed = |part: &str| refused.as_ref().and_then(|r| field(r.fields, &format!("{key}_{part}")));
            DayRow {
                day: t.get(&format!("web-weekday-{n}")),
                key,
                opens: typed("opens")
                    .map_or_else(|| hours.map_or_else(|| "08:00".to_owned(), |h| h.opens.to_string()), str::to_owned),
                closes: typed("closes")
                    .map_or_else(|| hours.map_or_else(|| "16:00".to_owned(), |h| h.closes.to_string()), str::to_owned),
                closed: match &refused {
                    Some(r) => checked(r.fields, &format!("{key}_closed")),
                    None => hours.is_none(),
                },
            }
        })
        .collect();

    // Bookings today and tomorrow, in the site's time zone.
    let today = state.now().with_timezone(&site.time_zone).date_naive();
    let midnight = site
        .time_zone
        .from_local_datetime(&today.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map_or_else(|| state.now(), |m| m.to_utc());
    let found = state
        .store
        .list_bookings(&BookingFilter {
            site: Some(site.id),
            from: Some(midnight),
            to: Some(midnight + Duration::days(2)),
            active_only: true,
            limit: 1000,
            ..BookingFilter::default()
        })
        .await?;
    let spaces = state.directory.spaces(site.id).await?;
    let space_names: HashMap<SpaceId, &str> = spaces.iter().map(|s| (s.id, s.name.as_str())).collect();
    let mut people: HashMap<hubnet_domain::PersonId, String> = HashMap::new();
    let mut bookings = Vec::new();
    for booking in found {
        if let std::collections::hash_map::Entry::Vacant(entry) = people.entry(booking.person_id) {
            // People of other organisations stay invisible: the host sees their organisation.
            let person = state.store.get_person(booking.person_id).await?;
            let shown = if session.principal.can_see_person(&person) {
                person.name
            } else {
                state.store.get_organisation(person.organisation_id).await?.name.get(language).to_owned()
            };
            entry.insert(shown);
        }
        let (start, end) = (booking.start.with_timezone(&site.time_zone), booking.end.with_timezone(&site.time_zone));
        bookings.push(BookingRow {
            day: t.day(start.date_naive()),
            time: t.times(&start, &end),
            space: space_names.get(&booking.space_id).copied().unwrap_or_default().to_owned(),
            person: people[&booking.person_id].clone(),
        });
    }

    let floors_of_site = state.store.list_floors(site.id).await?;
    let floor_names: HashMap<FloorId, String> =
        floors_of_site.iter().map(|f| (f.id, f.name.get(language).to_owned())).collect();
    let spaces = spaces
        .iter()
        .map(|s| SpaceRow {
            id: s.id,
            name: s.name.clone(),
            floor: floor_names.get(&s.floor_id).cloned().unwrap_or_default(),
            kind: t.get(&format!("web-kind-{}", s.kind.key())),
            bookable: s.bookable,
            amenities: amenity_choices(t, &s.amenities),
        })
        .collect();
    let mut page = Chrome::new(language, "web-host-title", Some(session), &format!("/host/sites/{}", site.id), "host");
    site.name.get(language).clone_into(&mut page.title);
    if query.notice.as_deref() == Some("saved") {
        page = page.success(t.get("web-host-saved"));
    }
    let typed =
        |name: &str, stored: &str| refused.as_ref().and_then(|r| field(r.fields, name)).unwrap_or(stored).to_owned();
    if let Some(r) = &refused {
        page = page.error(super::page::error_message(t, r.error));
    }
    Ok(HostSitePage {
        page,
        site_id: site.id,
        name_fi: typed("name_fi", &site.name.fi),
        name_sv: typed("name_sv", &site.name.sv),
        name_en: typed("name_en", &site.name.en),
        days,
        registration: site.access.registration_required,
        approval: site.access.approval_required,
        who: WhoMayBook::ALL
            .iter()
            .map(|w| Choice {
                value: w.key().to_owned(),
                label: t.get(&format!("web-host-who-{}", w.key())),
                selected: *w == site.access.who,
            })
            .collect(),
        bookings,
        floors: floors_of_site
            .iter()
            .map(|f| Choice { value: f.id.to_string(), label: f.name.get(language).to_owned(), selected: false })
            .collect(),
        kinds: SpaceKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.key().to_owned(),
                label: t.get(&format!("web-kind-{}", k.key())),
                selected: *k == SpaceKind::Desk,
            })
            .collect(),
        amenities: amenity_choices(t, &[]),
        spaces,
    })
}

/// A submitted form as its fields; checkboxes and repeated fields appear once per value.
type Fields = Vec<(String, String)>;

fn field<'f>(fields: &'f Fields, name: &str) -> Option<&'f str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn checked(fields: &Fields, name: &str) -> bool {
    fields.iter().any(|(k, _)| k == name)
}

fn check_csrf(session: &WebSession, fields: &Fields) -> Result<(), AppError> {
    session.check_csrf(field(fields, "csrf").unwrap_or_default())
}

fn saved(site: SiteId) -> Response {
    Redirect::to(&format!("/host/sites/{site}?notice=saved")).into_response()
}

/// Saves a site's names, opening hours and access terms.
pub async fn save_site(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&session, &fields)?;
        let before = manageable(&state, &session, &id).await?;
        let mut site = before.clone();
        site.name = LocalizedText::new(
            field(&fields, "name_fi").unwrap_or_default(),
            field(&fields, "name_sv").unwrap_or_default(),
            field(&fields, "name_en").unwrap_or_default(),
            "name",
        )?;
        let mut hours = WeeklyHours::default();
        for (weekday, key) in WEEKDAYS {
            if checked(&fields, &format!("{key}_closed")) {
                continue;
            }
            let time = |suffix: &str| {
                let name = format!("{key}_{suffix}");
                field(&fields, &name)
                    .unwrap_or_default()
                    .parse()
                    .map_err(|_| AppError::invalid(name.clone(), "a time like 08:00"))
            };
            let day = DayHours::new(time("opens")?, time("closes")?)
                .map_err(|e| AppError::invalid(format!("{key}_closes"), e.reason))?;
            hours = with_day(hours, weekday, day);
        }
        site.opening_hours = hours;
        site.access.registration_required = checked(&fields, "registration_required");
        site.access.approval_required = checked(&fields, "approval_required");
        site.access.who = WhoMayBook::from_key(field(&fields, "who").unwrap_or(site.access.who.key()))?;
        site.validate()?;
        state.store.save_site(&site).await?;
        crate::api::sites::site_updated(&state, &session.principal, &before, &site).await?;
        Ok(site.id)
    }
    .await;
    answer(&state, &headers, &session, &id, &fields, result).await
}

fn with_day(mut hours: WeeklyHours, weekday: Weekday, day: DayHours) -> WeeklyHours {
    let slot = match weekday {
        Weekday::Mon => &mut hours.mon,
        Weekday::Tue => &mut hours.tue,
        Weekday::Wed => &mut hours.wed,
        Weekday::Thu => &mut hours.thu,
        Weekday::Fri => &mut hours.fri,
        Weekday::Sat => &mut hours.sat,
        Weekday::Sun => &mut hours.sun,
    };
    *slot = Some(day);
    hours
}

fn amenities_of(fields: &Fields) -> Result<Vec<Amenity>, AppError> {
    let chosen = fields
        .iter()
        .filter(|(k, _)| k == "amenity")
        .map(|(_, v)| Amenity::from_key(v))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(normalise(chosen))
}

/// Adds a floor to a site.
pub async fn add_floor(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&session, &fields)?;
        let site = manageable(&state, &session, &id).await?;
        let name = field(&fields, "floor_name").unwrap_or_default();
        let level = field(&fields, "level")
            .unwrap_or("0")
            .trim()
            .parse::<i16>()
            .map_err(|_| AppError::invalid("level", "a whole number"))?;
        let floor = Floor { id: new_id(), site_id: site.id, name: LocalizedText::same(name, "floor_name")?, level };
        state.store.save_floor(&floor).await?;
        let (subject, detail) = (Subject::new(SubjectKind::Floor, floor.id), serde_json::json!({ "site_id": site.id }));
        audit::record(&state, &session.principal, site.organisation_id, AuditAction::FloorCreated, subject, detail)
            .await?;
        Ok(site.id)
    }
    .await;
    answer(&state, &headers, &session, &id, &fields, result).await
}

/// Adds a space to one of the site's floors.
pub async fn add_space(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&session, &fields)?;
        let site = manageable(&state, &session, &id).await?;
        let floor_id: FloorId = field(&fields, "floor_id")
            .unwrap_or_default()
            .parse()
            .map_err(|_| AppError::invalid("floor_id", "choose a floor"))?;
        let floor = state.store.get_floor(floor_id).await?;
        if floor.site_id != site.id {
            return Err(AppError::invalid("floor_id", "the floor belongs to another site"));
        }
        let kind = SpaceKind::from_key(field(&fields, "kind").unwrap_or("desk"))?;
        let space = Space {
            id: new_id(),
            site_id: site.id,
            floor_id,
            kind,
            name: field(&fields, "name").unwrap_or_default().trim().to_owned(),
            capacity: 1,
            amenities: amenities_of(&fields)?,
            accessibility: Vec::new(),
            bookable: checked(&fields, "bookable"),
            assigned_to: None,
        };
        space.validate()?;
        state.store.save_space(&space).await?;
        let (subject, detail) = (Subject::new(SubjectKind::Space, space.id), serde_json::json!({ "site_id": site.id }));
        audit::record(&state, &session.principal, site.organisation_id, AuditAction::SpaceCreated, subject, detail)
            .await?;
        Ok(site.id)
    }
    .await;
    answer(&state, &headers, &session, &id, &fields, result).await
}

/// Renames a space, sets its amenities, makes it bookable or fixed.
pub async fn save_space(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&session, &fields)?;
        let id: SpaceId = id.parse().map_err(|_| AppError::NotFound)?;
        let before = state.store.get_space(id).await?;
        let mut space = before.clone();
        let site = manageable(&state, &session, &space.site_id.to_string()).await?;
        space.name = field(&fields, "name").unwrap_or_default().trim().to_owned();
        space.amenities = amenities_of(&fields)?;
        space.bookable = checked(&fields, "bookable");
        if space.bookable {
            space.assigned_to = None;
        }
        space.validate()?;
        state.store.save_space(&space).await?;
        let (subject, detail) = (Subject::new(SubjectKind::Space, space.id), changed_fields(&before, &space));
        audit::record(&state, &session.principal, site.organisation_id, AuditAction::SpaceUpdated, subject, detail)
            .await?;
        Ok(space.site_id)
    }
    .await;
    match result {
        Ok(site) => saved(site),
        Err(error) => error_page(&headers, Some(&session), &error),
    }
}

/// After a site form: back to the site's host page, saying it was saved; or the page again with
/// what was typed and why it was refused (422 and the like); or the error page when the site
/// itself is not the person's to change.
async fn answer(
    state: &AppState,
    headers: &HeaderMap,
    session: &WebSession,
    id: &str,
    fields: &Fields,
    result: Result<SiteId, AppError>,
) -> Response {
    let error = match result {
        Ok(site) => return saved(site),
        Err(error) => error,
    };
    if matches!(error, AppError::NotFound | AppError::AccessDenied) {
        return error_page(headers, Some(session), &error);
    }
    match host_site(state, session, id, &NoticeQuery::default(), Some(Refused { fields, error: &error })).await {
        Ok(page) => super::page::render_with(error.status(), &page),
        Err(other) => error_page(headers, Some(session), &other),
    }
}
