//! My week: this week and next, day by day, where the person is booked, with cancel; bookings
//! waiting for a host's approval say so, and declined ones say why.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike as _, Duration, NaiveDate, TimeZone as _};
use hubnet_domain::{BookingId, BookingStatus, Site, SiteId, Space, SpaceId};
use hubnet_store::BookingFilter;
use serde::Deserialize;

use super::BookingInput;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::page::{Chrome, Tr, error_page, render};
use crate::web::session::WebSession;
use axum::Form;
use axum::Router;
use axum::routing::get;
use axum::routing::post;
use hubnet_domain::booking::Period;

/// My week, its Cancel buttons and the Book buttons of Find and a site's page, merged into
/// [`crate::web::router`].
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/week", get(my_week))
        .route("/book", post(book))
        .route("/bookings/{id}/cancel", post(cancel_booking))
}

/// One booking as a line of the week.
pub struct Line {
    pub id: BookingId,
    pub site_id: SiteId,
    pub site: String,
    pub space: String,
    pub time: String,
    pub pending: bool,
    /// Pending for the person's own organisation's approval (its policy asked), not the host's.
    pub awaits_organisation: bool,
    /// Declined by a host, with the host's reason: it holds no space, so nothing to cancel.
    pub declined: Option<String>,
    /// Over already: nothing to cancel.
    pub ended: bool,
    pub cancel_label: String,
}

pub struct Day {
    pub date: NaiveDate,
    pub iso: String,
    pub heading: String,
    pub is_today: bool,
    pub lines: Vec<Line>,
}

pub struct Week {
    pub heading: String,
    pub days: Vec<Day>,
}

#[derive(Template)]
#[template(path = "week.html")]
struct WeekPage {
    page: Chrome,
    weeks: Vec<Week>,
}

#[derive(Debug, Deserialize)]
pub struct WeekQuery {
    /// A notice to show: `cancelled` or `booked` (with `booking`).
    notice: Option<String>,
    booking: Option<BookingId>,
}

async fn my_week(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    axum::extract::Query(query): axum::extract::Query<WeekQuery>,
) -> Response {
    match week(&state, &session, &query).await {
        Ok(page) => render(&page),
        Err(error) => error_page(&headers, Some(&session), &error),
    }
}

async fn week(state: &AppState, session: &WebSession, query: &WeekQuery) -> Result<WeekPage, AppError> {
    let language = session.language();
    let t = Tr(language);
    let person = &session.principal.person;
    let home_zone =
        state.store.organisations().get_organisation(person.organisation_id).await?.country.default_time_zone();
    let today = state.now().with_timezone(&home_zone).date_naive();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let first = home_zone.from_local_datetime(&monday.and_hms_opt(0, 0, 0).unwrap_or_default()).earliest();
    let from = first.map_or_else(|| state.now(), |f| f.to_utc()) - Duration::hours(2);
    let bookings = state
        .store
        .bookings()
        .list_bookings(&BookingFilter {
            person: Some(person.id),
            from: Some(from),
            to: Some(from + Duration::days(15)),
            // Declined bookings too, to say so; cancelled and released ones are left out below.
            active_only: false,
            limit: 300,
            ..BookingFilter::default()
        })
        .await?;
    let mut sites: HashMap<SiteId, Site> = HashMap::new();
    let mut spaces: HashMap<SpaceId, Space> = HashMap::new();
    let mut by_day: HashMap<NaiveDate, Vec<(chrono::DateTime<chrono::Utc>, Line)>> = HashMap::new();
    let mut notice = None;
    for booking in bookings {
        if !(booking.status.is_active() || booking.status == BookingStatus::Declined) {
            continue;
        }
        if let std::collections::hash_map::Entry::Vacant(entry) = sites.entry(booking.site_id) {
            entry.insert(state.store.sites().get_site(booking.site_id).await?);
        }
        if let std::collections::hash_map::Entry::Vacant(entry) = spaces.entry(booking.space_id) {
            entry.insert(state.store.sites().get_space(booking.space_id).await?);
        }
        let (site, space) = (&sites[&booking.site_id], &spaces[&booking.space_id]);
        let start = booking.start.with_timezone(&site.time_zone);
        let end = booking.end.with_timezone(&site.time_zone);
        let time = t.times(&start, &end);
        let date = start.date_naive();
        let site_name = site.name.get(language).to_owned();
        if query.notice.as_deref() == Some("booked") && query.booking == Some(booking.id) {
            notice = Some(t.args(
                booked_key(booking.status),
                &[
                    ("space", space.name.clone()),
                    ("site", site_name.clone()),
                    ("date", t.day(date)),
                    ("time", time.clone()),
                ],
            ));
        }
        let line = Line {
            id: booking.id,
            site_id: site.id,
            cancel_label: t.args(
                "web-cancel-label",
                &[("space", space.name.clone()), ("site", site_name.clone()), ("date", t.day(date))],
            ),
            site: site_name,
            space: space.name.clone(),
            time,
            pending: booking.status == BookingStatus::PendingApproval,
            awaits_organisation: booking.status == BookingStatus::PendingApproval && booking.awaits_organisation,
            declined: (booking.status == BookingStatus::Declined)
                .then(|| booking.decision.as_ref().and_then(|d| d.reason.clone()).unwrap_or_default()),
            ended: booking.end <= state.now() || !booking.status.is_active(),
        };
        by_day.entry(date).or_default().push((booking.start, line));
    }
    let weeks = [("web-week-this", monday), ("web-week-next", monday + Duration::days(7))]
        .into_iter()
        .map(|(key, start)| Week {
            heading: t.get(key),
            days: (0..7)
                .map(|offset| {
                    let date = start + Duration::days(offset);
                    let mut lines = by_day.remove(&date).unwrap_or_default();
                    lines.sort_by_key(|(start, _)| *start);
                    Day {
                        date,
                        iso: date.to_string(),
                        heading: t.day_heading(date),
                        is_today: date == today,
                        lines: lines.into_iter().map(|(_, line)| line).collect(),
                    }
                })
                // Weekends only when something is booked on them.
                .filter(|day| day.date.weekday().num_days_from_monday() < 5 || !day.lines.is_empty())
                .collect(),
        })
        .collect();
    if notice.is_none()
        && query.notice.as_deref() == Some("booked")
        && let Some(id) = query.booking
    {
        // Booked beyond next week: say so all the same (and nothing for an unknown booking).
        if let Ok(booking) = state.store.bookings().get_booking(id).await
            && booking.person_id == person.id
        {
            let site = state.store.sites().get_site(booking.site_id).await?;
            let space = state.store.sites().get_space(booking.space_id).await?;
            let (start, end) =
                (booking.start.with_timezone(&site.time_zone), booking.end.with_timezone(&site.time_zone));
            let time = t.times(&start, &end);
            notice = Some(t.args(
                booked_key(booking.status),
                &[
                    ("space", space.name),
                    ("site", site.name.get(language).to_owned()),
                    ("date", t.day(start.date_naive())),
                    ("time", time),
                ],
            ));
        }
    }
    let mut page = Chrome::new(language, "web-week-title", Some(session), "/week", "week");
    if let Some(text) = notice {
        page = page.success(text);
    } else if query.notice.as_deref() == Some("cancelled") {
        page = page.success(t.get("web-notice-cancelled"));
    } else if query.notice.as_deref() == Some("language") {
        page = page.success(t.get("web-notice-language"));
    }
    Ok(WeekPage { page, weeks })
}

/// What the notice after booking says: booked, or asked for and waiting for a host's approval.
fn booked_key(status: BookingStatus) -> &'static str {
    if status == BookingStatus::PendingApproval { "web-notice-requested" } else { "web-notice-booked" }
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// Cancels one of the person's bookings and comes back to the week.
async fn cancel_booking(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Path(id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<CsrfForm>,
) -> Response {
    let result = async {
        session.check_csrf(&form.csrf)?;
        let id: BookingId = id.parse().map_err(|_| AppError::NotFound)?;
        super::cancel(&state, &session.principal, id).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to("/week?notice=cancelled").into_response(),
        Err(error) => error_page(&headers, Some(&session), &error),
    }
}

#[derive(Debug, Deserialize)]
pub struct BookForm {
    csrf: String,
    space_id: String,
    date: String,
    period: String,
}

/// Books one space for a day or half a day, then shows it in My week.
async fn book(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: WebSession,
    Form(form): Form<BookForm>,
) -> Response {
    let result = async {
        session.check_csrf(&form.csrf)?;
        let space_id: SpaceId = form.space_id.parse().map_err(|_| AppError::NotFound)?;
        let date: NaiveDate = form.date.parse().map_err(|_| AppError::invalid("date", "not a date like 2026-11-24"))?;
        let period = match form.period.as_str() {
            "morning" => Period::Morning,
            "afternoon" => Period::Afternoon,
            "full_day" => Period::FullDay,
            _ => return Err(AppError::invalid("period", "full_day, morning or afternoon")),
        };
        let input =
            BookingInput { space_id, start: None, end: None, date: Some(date), period: Some(period), person_id: None };
        let (booking, _) = super::book(&state, &session.principal, &input).await?;
        Ok(booking)
    }
    .await;
    match result {
        Ok(booking) => Redirect::to(&format!("/week?notice=booked&booking={}", booking.id)).into_response(),
        Err(error) => error_page(&headers, Some(&session), &error),
    }
}
