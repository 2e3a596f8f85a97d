//! Host and admin pages: the sites a person runs (as their host, or as an admin of the owner),
//! each with the bookings waiting for approval (approve, or decline with a reason), its bookings
//! today and tomorrow, a form for its names, opening hours and access terms (with the terms
//! text people accept when they register), and its floors and spaces (add, rename, set
//! amenities, make fixed or bookable, ask for approval).
//! Every change is written to the audit log of the site's owner, as through the API.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse as _, Redirect, Response};
use chrono::{Duration, TimeZone as _, Weekday};
use hubnet_domain::space::normalise;
use hubnet_domain::{
    Amenity, BookingId, BookingStatus, DayHours, DeclineReason, FloorId, Language, LocalizedText, PersonId, Site,
    SiteId, SpaceId, SpaceKind, Verdict, WeeklyHours, WhoMayBook,
};
use hubnet_store::BookingFilter;
use serde::Deserialize;

use super::SpaceInput;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::page::{Choice, Chrome, Fields, Tr, checked, error_page, field, render};
use crate::web::session::WebSession;
use axum::Router;
use axum::routing::get;
use axum::routing::post;

/// The host pages, merged into [`crate::web::router`].
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/host", get(host_page))
        .route("/host/sites/{id}", get(host_site_page).post(save_site))
        .route("/host/sites/{id}/floors", post(add_floor))
        .route("/host/sites/{id}/spaces", post(add_space))
        .route("/host/spaces/{id}", post(save_space))
        .route("/host/bookings/{id}/approve", post(approve_booking))
        .route("/host/bookings/{id}/decline", post(decline_booking))
}

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
    /// "2 bookings wait for approval", when any do.
    pub pending: Option<String>,
}

#[derive(Template)]
#[template(path = "host.html")]
struct HostPage {
    page: Chrome,
    sites: Vec<SiteLink>,
    /// Bookings of the organisation's people waiting for its approval (its policy asked), for
    /// organisation admins; `None` for others.
    approvals: Option<Vec<PendingRow>>,
}

/// The sites this person may change.
async fn managed_sites(state: &AppState, session: &WebSession) -> Result<Vec<Site>, AppError> {
    let sites = state.directory.all_sites().await?;
    Ok(sites.iter().filter(|s| session.principal.can_manage_site(s)).cloned().collect())
}

async fn host_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Query(query): Query<NoticeQuery>,
) -> Response {
    let language = session.language();
    let result = async {
        let t = Tr(language);
        let mut links = Vec::new();
        for site in managed_sites(&state, &session).await? {
            // One probe of the partial index of pending bookings per site.
            let pending = pending_bookings(&state, &site).await?.len();
            links.push(SiteLink {
                id: site.id,
                name: site.name.get(language).to_owned(),
                pending: (pending > 0).then(|| t.count("web-host-pending-count", pending)),
            });
        }
        links.sort_by(|a, b| a.name.cmp(&b.name));
        let approvals = organisation_approvals(&state, &session).await?;
        Ok::<_, AppError>((links, approvals))
    }
    .await;
    match result {
        Ok((sites, approvals)) => {
            let t = Tr(language);
            let mut page = Chrome::new(language, "web-host-title", Some(&session), "/host", "host");
            match query.notice.as_deref() {
                Some("approved") => page = page.success(t.get("web-host-approved")),
                Some("declined") => page = page.success(t.get("web-host-declined")),
                _ => {}
            }
            render(&HostPage { page, sites, approvals })
        }
        Err(error) => error_page(&headers, Some(&session), &error),
    }
}

/// For an organisation admin: their organisation's people's bookings that wait for the
/// organisation's approval because its policy asked, earliest first (the site's approval, if it
/// asks too, comes after).
async fn organisation_approvals(state: &AppState, session: &WebSession) -> Result<Option<Vec<PendingRow>>, AppError> {
    let me = &session.principal;
    let organisations: Vec<_> = me
        .roles
        .iter()
        .filter_map(|r| match r {
            hubnet_domain::Role::OrgAdmin { organisation_id } => Some(*organisation_id),
            _ => None,
        })
        .collect();
    if organisations.is_empty() {
        return Ok(None);
    }
    let language = session.language();
    let t = Tr(language);
    let sites = state.directory.all_sites().await?;
    let mut people = HashMap::new();
    let mut rows = Vec::new();
    for organisation in organisations {
        let pending = state
            .store
            .bookings()
            .list_bookings(&BookingFilter {
                organisation: Some(organisation),
                from: Some(state.now()),
                status: Some(BookingStatus::PendingApproval),
                active_only: true,
                limit: 500,
                ..BookingFilter::default()
            })
            .await?;
        for booking in pending.into_iter().filter(|b| b.awaits_organisation) {
            let Some(site) = sites.iter().find(|s| s.id == booking.site_id) else { continue };
            let space =
                format!("{}, {}", site.name.get(language), state.store.sites().get_space(booking.space_id).await?.name);
            let person = booker(state, session, language, booking.person_id, &mut people).await?;
            rows.push(PendingRow { back: "host", ..PendingRow::new(t, &booking, site, space, person) });
        }
    }
    Ok(Some(rows))
}

/// The bookings of a site that wait for the site's decision and have not ended, earliest first
/// (not those that still wait for the booker's organisation's approval).
async fn pending_bookings(state: &AppState, site: &Site) -> Result<Vec<hubnet_domain::Booking>, AppError> {
    let pending = state
        .store
        .bookings()
        .list_bookings(&BookingFilter {
            site: Some(site.id),
            from: Some(state.now()),
            status: Some(BookingStatus::PendingApproval),
            active_only: true,
            limit: 500,
            ..BookingFilter::default()
        })
        .await?;
    Ok(pending.into_iter().filter(|b| !b.awaits_organisation).collect())
}

/// Who a booking is for, as a host may see them: the name of someone they may see (their own
/// organisation's people), else only the person's organisation. Remembered in `people`.
async fn booker(
    state: &AppState,
    session: &WebSession,
    language: Language,
    person: PersonId,
    people: &mut HashMap<PersonId, String>,
) -> Result<String, AppError> {
    if let Some(shown) = people.get(&person) {
        return Ok(shown.clone());
    }
    let person = state.store.people().get_person(person).await?;
    let shown = if session.principal.can_see_person(&person) {
        person.name
    } else {
        state.store.organisations().get_organisation(person.organisation_id).await?.name.get(language).to_owned()
    };
    people.insert(person.id, shown.clone());
    Ok(shown)
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
    pub approval: bool,
    pub amenities: Vec<Choice>,
}

/// A booking waiting for the host's decision.
pub struct PendingRow {
    pub id: BookingId,
    pub day: String,
    pub time: String,
    pub space: String,
    pub person: String,
    pub approve_label: String,
    pub decline_label: String,
    /// The reason typed into a refused decline of this booking.
    pub reason: String,
    /// A decline of this booking was refused: its reason field is marked invalid.
    pub refused: bool,
    /// Where a decision returns to: "" for the site's page, "host" for the host page.
    pub back: &'static str,
}

impl PendingRow {
    /// A pending booking of `space` (as named on the page) by `person`, at `site`.
    fn new(t: Tr, booking: &hubnet_domain::Booking, site: &Site, space: String, person: String) -> Self {
        let (start, end) = (booking.start.with_timezone(&site.time_zone), booking.end.with_timezone(&site.time_zone));
        let label_args = [("space", space.clone()), ("date", t.day(start.date_naive())), ("person", person.clone())];
        Self {
            id: booking.id,
            day: t.day(start.date_naive()),
            time: t.times(&start, &end),
            approve_label: t.args("web-host-approve-label", &label_args),
            decline_label: t.args("web-host-decline-label", &label_args),
            reason: String::new(),
            refused: false,
            back: "",
            space,
            person,
        }
    }
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
    terms_fi: String,
    terms_sv: String,
    terms_en: String,
    who: Vec<Choice>,
    pending: Vec<PendingRow>,
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

async fn host_site_page(
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
    let site = state.store.sites().get_site(id).await?;
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
        .bookings()
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
    let mut people: HashMap<PersonId, String> = HashMap::new();
    let mut bookings = Vec::new();
    for booking in found {
        let (start, end) = (booking.start.with_timezone(&site.time_zone), booking.end.with_timezone(&site.time_zone));
        bookings.push(BookingRow {
            day: t.day(start.date_naive()),
            time: t.times(&start, &end),
            space: space_names.get(&booking.space_id).copied().unwrap_or_default().to_owned(),
            person: booker(state, session, language, booking.person_id, &mut people).await?,
        });
    }
    // A refused decline comes back with its reason as typed, beside its booking.
    let declined = refused.as_ref().and_then(|r| field(r.fields, "booking"));
    let mut pending = Vec::new();
    for booking in pending_bookings(state, &site).await? {
        let space = space_names.get(&booking.space_id).copied().unwrap_or_default().to_owned();
        let person = booker(state, session, language, booking.person_id, &mut people).await?;
        let mut row = PendingRow::new(t, &booking, &site, space, person);
        if declined == Some(booking.id.to_string().as_str()) {
            refused.as_ref().and_then(|r| field(r.fields, "reason")).unwrap_or_default().clone_into(&mut row.reason);
            row.refused = true;
        }
        pending.push(row);
    }

    let floors_of_site = state.store.sites().list_floors(site.id).await?;
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
            approval: s.approval_required,
            amenities: amenity_choices(t, &s.amenities),
        })
        .collect();
    let mut page = Chrome::new(language, "web-host-title", Some(session), &format!("/host/sites/{}", site.id), "host");
    site.name.get(language).clone_into(&mut page.title);
    match query.notice.as_deref() {
        Some("saved") => page = page.success(t.get("web-host-saved")),
        Some("approved") => page = page.success(t.get("web-host-approved")),
        Some("declined") => page = page.success(t.get("web-host-declined")),
        _ => {}
    }
    let typed =
        |name: &str, stored: &str| refused.as_ref().and_then(|r| field(r.fields, name)).unwrap_or(stored).to_owned();
    if let Some(r) = &refused {
        page = page.error(crate::web::page::error_message(t, r.error));
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
        terms_fi: typed("terms_fi", &site.access.terms.fi),
        terms_sv: typed("terms_sv", &site.access.terms.sv),
        terms_en: typed("terms_en", &site.access.terms.en),
        who: WhoMayBook::ALL
            .iter()
            .map(|w| Choice {
                value: w.key().to_owned(),
                label: t.get(&format!("web-host-who-{}", w.key())),
                selected: *w == site.access.who,
            })
            .collect(),
        pending,
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
fn check_csrf(session: &WebSession, fields: &Fields) -> Result<(), AppError> {
    session.check_csrf(field(fields, "csrf").unwrap_or_default())
}

fn saved(site: SiteId) -> Response {
    Redirect::to(&format!("/host/sites/{site}?notice=saved")).into_response()
}

/// Saves a site's names, opening hours and access terms.
async fn save_site(
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
        site.access.terms = LocalizedText {
            fi: field(&fields, "terms_fi").unwrap_or_default().trim().to_owned(),
            sv: field(&fields, "terms_sv").unwrap_or_default().trim().to_owned(),
            en: field(&fields, "terms_en").unwrap_or_default().trim().to_owned(),
        };
        let site = super::save_site(&state, &session.principal, &before, site).await?;
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
async fn add_floor(
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
        super::add_floor(&state, &session.principal, &site, LocalizedText::same(name, "floor_name")?, level).await?;
        Ok(site.id)
    }
    .await;
    answer(&state, &headers, &session, &id, &fields, result).await
}

/// Adds a space to one of the site's floors.
async fn add_space(
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
        let input = SpaceInput {
            floor_id,
            kind: SpaceKind::from_key(field(&fields, "kind").unwrap_or("desk"))?,
            name: field(&fields, "name").unwrap_or_default().to_owned(),
            capacity: 1,
            amenities: amenities_of(&fields)?,
            accessibility: Vec::new(),
            bookable: checked(&fields, "bookable"),
            assigned_to: None,
            approval_required: checked(&fields, "approval_required"),
        };
        super::add_space(&state, &session.principal, &site, input).await?;
        Ok(site.id)
    }
    .await;
    answer(&state, &headers, &session, &id, &fields, result).await
}

/// Renames a space, sets its amenities, makes it bookable or fixed.
async fn save_space(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&session, &fields)?;
        let id: SpaceId = id.parse().map_err(|_| AppError::NotFound)?;
        let before = state.store.sites().get_space(id).await?;
        let site = manageable(&state, &session, &before.site_id.to_string()).await?;
        let bookable = checked(&fields, "bookable");
        let input = SpaceInput {
            floor_id: before.floor_id,
            kind: before.kind,
            name: field(&fields, "name").unwrap_or_default().to_owned(),
            capacity: before.capacity,
            amenities: amenities_of(&fields)?,
            accessibility: before.accessibility.clone(),
            bookable,
            // A bookable space belongs to nobody.
            assigned_to: if bookable { None } else { before.assigned_to },
            approval_required: checked(&fields, "approval_required"),
        };
        let space = super::change_space(&state, &session.principal, &site, &before, input).await?;
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
    answer_with(state, headers, session, id, fields, result, "saved").await
}

/// [`answer`], with the notice that says what was done.
async fn answer_with(
    state: &AppState,
    headers: &HeaderMap,
    session: &WebSession,
    id: &str,
    fields: &Fields,
    result: Result<SiteId, AppError>,
    notice: &str,
) -> Response {
    let error = match result {
        Ok(site) => return Redirect::to(&format!("/host/sites/{site}?notice={notice}")).into_response(),
        Err(error) => error,
    };
    if matches!(error, AppError::NotFound | AppError::AccessDenied) {
        return error_page(headers, Some(session), &error);
    }
    match host_site(state, session, id, &NoticeQuery::default(), Some(Refused { fields, error: &error })).await {
        Ok(page) => crate::web::page::render_with(error.status(), &page),
        Err(other) => error_page(headers, Some(session), &other),
    }
}

// Approval

/// Approves a booking that waits for approval, from the site's host page.
async fn approve_booking(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    decide(&state, &headers, &session, &id, &fields, false).await
}

/// Declines a booking that waits for approval, with the reason typed beside it.
async fn decline_booking(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    decide(&state, &headers, &session, &id, &fields, true).await
}

/// Records the decision and comes back to the site's host page saying so; a refused decision (no
/// reason, decided already, one's own booking) shows the page again with what was typed.
async fn decide(
    state: &AppState,
    headers: &HeaderMap,
    session: &WebSession,
    id: &str,
    fields: &Fields,
    decline: bool,
) -> Response {
    let Ok(id) = id.parse::<BookingId>() else {
        return error_page(headers, Some(session), &AppError::NotFound);
    };
    let result = async {
        check_csrf(session, fields)?;
        let verdict = if decline {
            Verdict::Decline { reason: DeclineReason::parse(field(fields, "reason").unwrap_or_default())? }
        } else {
            Verdict::Approve
        };
        let (_, site) = crate::bookings::decide(state, &session.principal, id, verdict).await?;
        Ok(site.id)
    }
    .await;
    // The page to come back to is the booking's site's; answer_with shows it only to those who
    // may change the site, and to others the error page.
    let site = match (&result, state.store.bookings().get_booking(id).await) {
        (Ok(site), _) => *site,
        (Err(_), Ok(booking)) => booking.site_id,
        (Err(error), Err(_)) => return error_page(headers, Some(session), error),
    };
    let notice = if decline { "declined" } else { "approved" };
    // An organisation's own approval, from the host page's list for organisation admins.
    if field(fields, "back") == Some("host") {
        return match result {
            Ok(_) => Redirect::to(&format!("/host?notice={notice}")).into_response(),
            Err(error) => error_page(headers, Some(session), &error),
        };
    }
    answer_with(state, headers, session, &site.to_string(), fields, result, notice).await
}
