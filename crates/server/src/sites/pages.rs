//! A site: its details in the person's language, opening hours and closures, and each floor as
//! an accessible floor plan on a date. Booking a free space takes one click in the list of
//! spaces, or two on the plan (choose the space, then book it).
//!
//! The plan is an SVG drawn from the spaces themselves (hubnet keeps no drawings): one cell per
//! space, in rows, each a link with a text label. Free spaces are squares with a tick and the
//! word "free"; taken ones are crossed-out circles with the word "taken"; so colour is never the
//! only difference.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse as _, Response};
use chrono::{Datelike as _, NaiveDate, Weekday};
use hubnet_domain::booking::Period;
use hubnet_domain::{BookingError, Site, SiteId, SpaceId, TimeOfDay};
use serde::Deserialize;

use crate::error::AppError;
use crate::geography;
use crate::state::AppState;
use crate::web::page;
use crate::web::page::{Choice, Chrome, Tr, error_page, municipality_name, period_key, price, render};
use crate::web::session::WebSession;
use crate::window::{Unavailable, site_window};
use axum::Router;
use axum::routing::get;
use axum::routing::post;

/// A site's page and its Register button, merged into [`crate::web::router`].
pub fn router() -> Router<AppState> {
    Router::new().route("/sites/{id}", get(site_page)).route("/sites/{id}/register", post(register))
}

/// Spaces per row of a plan.
const PER_ROW: usize = 6;
const CELL_W: u32 = 120;
const CELL_H: u32 = 84;

pub struct SpaceCell {
    pub id: SpaceId,
    pub name: String,
    pub kind: String,
    pub amenities: String,
    pub free: bool,
    /// Bookings of it wait for a host's approval (the space's own rule).
    pub approval: bool,
    pub status: String,
    /// The label the plan's link carries.
    pub label: String,
    pub x: u32,
    pub y: u32,
    pub cx: u32,
    pub cy: u32,
    pub selected: bool,
}

pub struct FloorPlan {
    pub name: String,
    pub caption: String,
    pub list_caption: String,
    pub width: u32,
    pub height: u32,
    pub cells: Vec<SpaceCell>,
}

#[derive(Template)]
#[template(path = "site.html")]
#[expect(clippy::struct_excessive_bools, reason = "what the template shows or hides")]
struct SitePage {
    page: Chrome,
    site_id: SiteId,
    kind: String,
    address: String,
    hours: Vec<String>,
    holidays: bool,
    /// The closing days (public holidays) from today to the end of the booking horizon.
    closures: Vec<String>,
    registration: bool,
    /// Every booking here waits for a host's approval.
    approval: bool,
    /// Registration needed before booking, and not yet done.
    must_register: bool,
    /// Registration needed before booking, and done.
    registered: bool,
    /// The site's terms in the person's language (or the nearest one there is), by paragraph.
    terms: Vec<String>,
    /// The language the terms are in, for the `lang` of their text.
    terms_lang: &'static str,
    admitted: bool,
    price: Option<String>,
    date: String,
    period: String,
    periods: Vec<Choice>,
    closed: Option<String>,
    floors: Vec<FloorPlan>,
    chosen: Option<(SpaceId, String)>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SiteQuery {
    date: Option<String>,
    period: Option<String>,
    /// A space chosen on the plan, to book.
    space: Option<String>,
}

async fn site_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Path(id): Path<String>,
    Query(query): Query<SiteQuery>,
) -> Response {
    match site(&state, &session, &id, &query).await {
        Ok(page) => render(&page),
        Err(error) => error_page(&headers, Some(&session), &error),
    }
}

async fn site(state: &AppState, session: &WebSession, id: &str, query: &SiteQuery) -> Result<SitePage, AppError> {
    let language = session.language();
    let t = Tr(language);
    let id: SiteId = id.parse().map_err(|_| AppError::NotFound)?;
    let site: Site = state.store.sites().get_site(id).await?;
    let today = state.now().with_timezone(&site.time_zone).date_naive();
    let date = page::chosen_date(query.date.as_deref(), today)?;
    let period = page::chosen_period(query.period.as_deref());
    let chosen_space: Option<SpaceId> = query.space.as_deref().and_then(|s| s.parse().ok());
    let admitted = site.admits(session.principal.organisation_id());
    // People of the site's own organisation need not register.
    let asks_registration =
        admitted && site.access.registration_required && site.organisation_id != session.principal.organisation_id();
    let registered = asks_registration && state.store.sites().is_registered(site.id, session.person_id()).await?;
    let must_register = asks_registration && !registered;

    let weekdays = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
    let hours = weekdays
        .iter()
        .enumerate()
        .map(|(n, &weekday)| {
            let day = t.get(&format!("web-weekday-{n}"));
            match site.opening_hours.on(weekday) {
                Some(h) => t.args(
                    "web-site-hours-day",
                    &[("day", day), ("from", clock(t, h.opens)), ("to", clock(t, h.closes))],
                ),
                None => t.with("web-site-closed-day", "day", &day),
            }
        })
        .collect();

    let window = match period {
        Period::FullDay => (None, None),
        Period::Morning => (None, Some(TimeOfDay::NOON)),
        Period::Afternoon => (Some(TimeOfDay::NOON), None),
    };
    let (closed, taken) = match site_window(&site, date, window)? {
        Ok((_, range)) => (None, Some(state.store.bookings().taken_spaces(&[(site.id, range)]).await?)),
        Err(Unavailable::Closed(holiday)) => {
            let error = AppError::from(BookingError::SiteClosed { date, holiday });
            (Some(error.message(language)), None)
        }
        Err(Unavailable::OutsideHours(hours)) => {
            (Some(AppError::from(BookingError::OutsideOpeningHours { hours }).message(language)), None)
        }
    };
    let floors_of_site = state.store.sites().list_floors(site.id).await?;
    let spaces = state.directory.spaces(site.id).await?;
    let mut chosen = None;
    let floors = floors_of_site
        .iter()
        .map(|floor| {
            let name = floor.name.get(language).to_owned();
            let cells: Vec<SpaceCell> = spaces
                .iter()
                .filter(|s| s.floor_id == floor.id)
                .enumerate()
                .map(|(n, space)| {
                    let free = space.bookable && taken.as_ref().is_some_and(|taken| !taken.contains(&space.id));
                    let status = t.get(if !space.bookable {
                        "web-site-fixed"
                    } else if free {
                        "web-site-free"
                    } else {
                        "web-site-taken"
                    });
                    let kind = t.get(&format!("web-kind-{}", space.kind.key()));
                    let amenities = space
                        .amenities
                        .iter()
                        .map(|a| t.get(&format!("web-amenity-{}", a.key())))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let (column, row) = (n % PER_ROW, n / PER_ROW);
                    let (x, y) = (
                        10 + u32::try_from(column).unwrap_or(0) * CELL_W,
                        10 + u32::try_from(row).unwrap_or(0) * CELL_H,
                    );
                    let selected = chosen_space == Some(space.id) && free;
                    if selected {
                        chosen = Some((
                            space.id,
                            t.args(
                                "web-book-label",
                                &[("space", space.name.clone()), ("site", site.name.get(language).to_owned())],
                            ),
                        ));
                    }
                    SpaceCell {
                        id: space.id,
                        label: if selected {
                            format!("{} {status}, {kind}, {}", space.name, t.get("web-site-chosen"))
                        } else {
                            format!("{} {status}, {kind}", space.name)
                        },
                        name: space.name.clone(),
                        kind,
                        amenities,
                        free,
                        approval: space.approval_required && !site.access.approval_required,
                        status,
                        x,
                        y,
                        cx: x + CELL_W / 2 - 5,
                        cy: y + 26,
                        selected,
                    }
                })
                .collect();
            let rows = u32::try_from(cells.len().div_ceil(PER_ROW)).unwrap_or(1).max(1);
            FloorPlan {
                caption: t.args("web-site-floor-plan", &[("floor", name.clone()), ("date", t.day(date))]),
                list_caption: t.with("web-site-space-list", "floor", &name),
                name,
                width: 20 + u32::try_from(PER_ROW).unwrap_or(6) * CELL_W,
                height: 20 + rows * CELL_H,
                cells,
            }
        })
        .collect();

    let here = format!("/sites/{}?date={date}&period={}", site.id, period_key(period));
    let mut page = Chrome::new(language, "web-site-show", Some(session), &here, "find");
    site.name.get(language).clone_into(&mut page.title);
    if !admitted {
        page = page.error(t.get("web-site-not-open"));
    }
    let address = match geography::municipality(site.municipality) {
        Some(m) if !site.address.contains(municipality_name(m, language)) => {
            format!("{}, {}", site.address, municipality_name(m, language))
        }
        Some(_) | None => site.address.clone(),
    };
    let (terms_lang, terms) = match site.access.terms.resolve(language) {
        Some((lang, text)) => (lang.code(), paragraphs(text)),
        None => (language.code(), Vec::new()),
    };
    Ok(SitePage {
        page,
        terms,
        terms_lang,
        site_id: site.id,
        kind: t.get(&format!("web-site-kind-{}", site.kind.key())),
        address,
        hours,
        holidays: site.closed_on_holidays,
        closures: if site.closed_on_holidays { closures(&site, today, t) } else { Vec::new() },
        registration: site.access.registration_required,
        approval: site.access.approval_required,
        must_register,
        registered,
        admitted,
        price: site.price_per_seat_day.map(|p| price(Some(p), t)),
        date: date.to_string(),
        period: period_key(period).to_owned(),
        periods: [Period::FullDay, Period::Morning, Period::Afternoon]
            .into_iter()
            .map(|p| Choice {
                value: period_key(p).into(),
                label: t.get(&format!("web-period-{}", period_key(p))),
                selected: p == period,
            })
            .collect(),
        closed,
        floors,
        chosen,
    })
}

/// A text's paragraphs: its lines, without the empty ones.
fn paragraphs(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_owned).collect()
}

/// A time of day the person's way.
fn clock(t: Tr, time: TimeOfDay) -> String {
    time.to_naive()
        .map_or_else(|| time.to_string(), |n| t.clock(chrono::Timelike::hour(&n), chrono::Timelike::minute(&n)))
}

/// The site's closing days from `today` to the end of its booking horizon, as "Tuesday 24 Dec
/// 2026: Christmas Eve".
fn closures(site: &Site, today: NaiveDate, t: Tr) -> Vec<String> {
    let until = today + chrono::Duration::days(i64::from(site.booking_horizon_days));
    let country = site.municipality.country();
    (today.year()..=until.year())
        .flat_map(|year| hubnet_domain::holidays::closing_days(country, year))
        .filter(|h| h.date >= today && h.date <= until)
        .map(|h| {
            t.args(
                "web-site-closure",
                &[("day", t.day(h.date)), ("holiday", t.get(&format!("holiday-{}", h.name.key())))],
            )
        })
        .collect()
}

#[derive(Debug, Deserialize)]
pub struct RegisterForm {
    csrf: String,
    next: Option<String>,
}

/// Registers the person at the site: they accept its terms, once.
async fn register(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<RegisterForm>,
) -> Response {
    let result = async {
        session.check_csrf(&form.csrf)?;
        let id: SiteId = id.parse().map_err(|_| AppError::NotFound)?;
        Ok(super::register(&state, &session.principal, id).await?.id)
    }
    .await;
    match result {
        Ok(site) => {
            let next = form.next.as_deref().map_or("/week", crate::web::session::safe_next);
            let next =
                if next.starts_with(&format!("/sites/{site}")) { next.to_owned() } else { format!("/sites/{site}") };
            axum::response::Redirect::to(&next).into_response()
        }
        Err(error) => error_page(&headers, Some(&session), &error),
    }
}
