//! What a benchmark run asks for, chosen from the database before any server starts: who books
//! which desk with which token, the sites and dates of the searches, the rows of the raw-database
//! baseline.

use super::load::Request;
use crate::bench::TOKEN_LABEL;
use crate::bench::data;
use anyhow::bail;
use chrono::{DateTime, Days, NaiveDate, Utc};
use hubnet_domain::booking::{local_instant, opening_hours_on};
use hubnet_domain::{
    Booking, BookingStatus, Country, OrganisationId, Person, Site, SiteId, SpaceKind, TimeOfDay, TimeRange, WhoMayBook,
};
use hubnet_store::bulk::BulkBooking;
use hubnet_store::{Backend, Page, Store, StoreOptions};
use rand::rngs::StdRng;
use rand::seq::SliceRandom as _;
use rand::{RngExt as _, SeedableRng as _};
use std::collections::HashMap;
use std::sync::Arc;

/// Who books what in a run, and with which token.
pub(super) struct Booker {
    pub(super) person: Person,
    pub(super) site: SiteId,
    pub(super) desk: hubnet_domain::SpaceId,
    pub(super) token: Arc<str>,
    /// A web session's cookie value.
    pub(super) session: Arc<str>,
}

/// What the benchmark asks for, chosen from the database before any server starts.
pub(super) struct Plan {
    pub(super) backend: Backend,
    pub(super) sites: Vec<Site>,
    pub(super) bookers: Vec<Booker>,
    /// Desks at shared offices that the contended requests all want.
    pub(super) popular: Vec<hubnet_domain::SpaceId>,
    /// Days far enough ahead to be free of the data set's bookings and open in both countries;
    /// the even ones for ordinary requests, the odd ones for contended ones.
    pub(super) free_days: Vec<NaiveDate>,
    /// Days inside the data set's bookings (today and after), open in both countries.
    pub(super) busy_days: Vec<NaiveDate>,
    /// Organisations by size, largest first, with their people counts.
    pub(super) organisations: Vec<(OrganisationId, String, usize)>,
}

/// People (each with a desk of their own) who book in a run.
const BOOKERS: usize = 1024;
const PEOPLE_PER_BOOKING_SITE: usize = 4;

impl Plan {
    pub(super) async fn prepare(url: &str, now: DateTime<Utc>) -> anyhow::Result<Self> {
        let store = hubnet_store::connect(url, &StoreOptions { sqlite_durable: false, max_connections: 4 }).await?;
        let plan = Self::from_store(store.as_ref(), now).await;
        store.close().await;
        plan
    }

    pub(super) async fn from_store(store: &dyn Store, now: DateTime<Utc>) -> anyhow::Result<Self> {
        let mut sites = Vec::new();
        loop {
            let page = store.sites().list_sites(Page { after: sites.last().map(|s: &Site| s.id), limit: 500 }).await?;
            if page.is_empty() {
                break;
            }
            sites.extend(page);
        }
        if sites.is_empty() {
            bail!("the database holds no sites: build the data set first with hubnet bench-data");
        }
        let today = now.date_naive();
        let fi = sites.iter().find(|s| s.municipality.country() == Country::Finland);
        let se = sites.iter().find(|s| s.municipality.country() == Country::Sweden);
        let open_everywhere =
            |date: NaiveDate| [fi, se].into_iter().flatten().all(|s| opening_hours_on(s, date).is_ok());
        let horizon = sites.iter().map(|s| s.booking_horizon_days).min().unwrap_or(1);
        let free_days: Vec<NaiveDate> = (data::DAYS_AHEAD + 7..u64::from(horizon))
            .map(|d| today + Days::new(d))
            .filter(|d| open_everywhere(*d))
            .collect();
        let busy_days: Vec<NaiveDate> =
            (1..data::DAYS_AHEAD).map(|d| today + Days::new(d)).filter(|d| open_everywhere(*d)).collect();
        if free_days.len() < 4 || busy_days.is_empty() {
            bail!("the sites' booking horizon ({horizon} days) leaves no free days to book: use bench-data's sites");
        }

        // Who books: four people of each site's owner, each with a desk of that site.
        let mut rng = StdRng::seed_from_u64(7);
        let mut people_of: HashMap<OrganisationId, Vec<Person>> = HashMap::new();
        let mut people_taken: HashMap<OrganisationId, usize> = HashMap::new();
        let mut bookers = Vec::new();
        let mut popular = Vec::new();
        let step = (sites.len() / (BOOKERS / PEOPLE_PER_BOOKING_SITE)).max(1);
        for (i, site) in sites.iter().enumerate() {
            let spaces = store.sites().list_spaces(site.id).await?;
            let desks: Vec<_> = spaces.iter().filter(|s| s.kind == SpaceKind::Desk && s.bookable).collect();
            // Bookers take a site's first desks; a shared office's eleventh desk is popular.
            if site.access.who == WhoMayBook::Network && popular.len() < 8 && desks.len() > 10 {
                popular.push(desks[10].id);
            }
            if i % step != 0 || bookers.len() >= BOOKERS || desks.len() < PEOPLE_PER_BOOKING_SITE {
                continue;
            }
            let taken = people_taken.entry(site.organisation_id).or_default();
            let people = people_of.entry(site.organisation_id).or_default();
            while people.len() < *taken + PEOPLE_PER_BOOKING_SITE {
                let page = store
                    .people()
                    .list_people(site.organisation_id, Page { after: people.last().map(|p| p.id), limit: 200 })
                    .await?;
                if page.is_empty() {
                    break;
                }
                people.extend(page);
            }
            for (person, desk) in people.iter().skip(*taken).zip(&desks).take(PEOPLE_PER_BOOKING_SITE) {
                let (secret, hash) = crate::auth::new_token().map_err(|e| anyhow::anyhow!("{e}"))?;
                store.tokens().create_token(hubnet_domain::ids::new_id(), person.id, &hash, TOKEN_LABEL, now).await?;
                let session = crate::web::session::random_secret().map_err(|e| anyhow::anyhow!("{e}"))?;
                store
                    .sign_in()
                    .create_session(&hubnet_store::NewSession {
                        token_hash: crate::auth::hash_token(&session),
                        person_id: person.id,
                        csrf_token: crate::web::session::random_secret().map_err(|e| anyhow::anyhow!("{e}"))?,
                        created_at: now,
                        expires_at: now + chrono::Duration::hours(12),
                    })
                    .await?;
                bookers.push(Booker {
                    person: person.clone(),
                    site: site.id,
                    desk: desk.id,
                    token: secret.into(),
                    session: session.into(),
                });
            }
            *taken += PEOPLE_PER_BOOKING_SITE;
        }
        if bookers.is_empty() {
            bail!("found nobody to book with");
        }
        bookers.shuffle(&mut rng);
        let mut site_counts: HashMap<OrganisationId, usize> = HashMap::new();
        for site in &sites {
            *site_counts.entry(site.organisation_id).or_default() += 1;
        }
        let mut organisations: Vec<(OrganisationId, String, usize)> = Vec::new();
        for (id, _) in site_counts {
            let organisation = store.organisations().get_organisation(id).await?;
            let mut count = 0;
            let mut after = None;
            loop {
                let page = store.people().list_people(id, Page { after, limit: 1000 }).await?;
                count += page.len();
                match page.last() {
                    Some(p) => after = Some(p.id),
                    None => break,
                }
            }
            organisations.push((id, organisation.code.as_str().to_owned(), count));
        }
        organisations.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
        Ok(Self { backend: store.backend(), sites, bookers, popular, free_days, busy_days, organisations })
    }

    pub(super) fn site(&self, id: SiteId) -> Option<&Site> {
        self.sites.iter().find(|s| s.id == id)
    }

    /// Booking requests: each booker books their own desk on successive free days; a share of
    /// the requests instead go for the popular desks on the odd free days.
    pub(super) fn bookings(&self, count: usize, contended: f64) -> Vec<Request> {
        let n = self.bookers.len();
        let mut rng = StdRng::seed_from_u64(11);
        let mut plan = Vec::with_capacity(count);
        for i in 0..count {
            let block = i / n;
            let Some(&day) = self.free_days.get(2 * block) else { break };
            let booker = &self.bookers[i % n];
            let (space, date) = if !self.popular.is_empty() && rng.random_bool(contended) {
                (self.popular[rng.random_range(0..self.popular.len())], self.free_days[2 * block + 1])
            } else {
                (booker.desk, day)
            };
            plan.push(Request {
                post_json: Some(format!(r#"{{"space_id":"{space}","date":"{date}","period":"full_day"}}"#)),
                path: "/api/v1/bookings".into(),
                token: Arc::clone(&booker.token),
                session: None,
            });
        }
        plan
    }

    /// The same kind of bookings for the raw database: each booker's desk, 08-16 local time, on
    /// the even free days.
    pub(super) fn baseline_rows(&self) -> Vec<BulkBooking> {
        let n = self.bookers.len();
        let now = Utc::now();
        let mut rows = Vec::new();
        for (block, day) in self.free_days.iter().step_by(2).enumerate() {
            for (j, booker) in self.bookers.iter().enumerate() {
                let Some(site) = self.site(booker.site) else { continue };
                let at = |h| TimeOfDay::from_hm(h, 0).ok().and_then(|t| local_instant(site.time_zone, *day, t).ok());
                let (Some(start), Some(end)) = (at(8), at(16)) else { continue };
                let Ok(range) = TimeRange::new(start, end) else { continue };
                let seq = u64::try_from(block * n + j).unwrap_or(0);
                rows.push(BulkBooking {
                    organisation_id: booker.person.organisation_id,
                    booking: Booking {
                        id: uuid::Builder::from_unix_timestamp_millis(
                            u64::try_from(now.timestamp_millis()).unwrap_or(0) + seq,
                            &[0x42; 10],
                        )
                        .into_uuid()
                        .into(),
                        space_id: booker.desk,
                        site_id: site.id,
                        person_id: booker.person.id,
                        created_by: booker.person.id,
                        start: range.start,
                        end: range.end,
                        status: BookingStatus::Confirmed,
                        created_at: now,
                        decision: None,
                        awaits_organisation: false,
                    },
                    kind: SpaceKind::Desk,
                    updated_at: now,
                });
            }
        }
        rows
    }

    pub(super) fn availability(&self, count: usize) -> Vec<Request> {
        let mut rng = StdRng::seed_from_u64(13);
        (0..count)
            .map(|_| {
                let site = &self.sites[rng.random_range(0..self.sites.len())];
                let date = self.busy_days[rng.random_range(0..self.busy_days.len())];
                Request {
                    post_json: None,
                    path: format!("/api/v1/availability?site={}&date={date}", site.id),
                    token: Arc::clone(&self.bookers[rng.random_range(0..self.bookers.len())].token),
                    session: None,
                }
            })
            .collect()
    }

    /// Each request one booker's My week page, signed in with their session.
    pub(super) fn week(&self, count: usize) -> Vec<Request> {
        let mut rng = StdRng::seed_from_u64(19);
        (0..count)
            .map(|_| {
                let booker = &self.bookers[rng.random_range(0..self.bookers.len())];
                Request {
                    post_json: None,
                    path: "/week".to_owned(),
                    token: Arc::clone(&booker.token),
                    session: Some(Arc::clone(&booker.session)),
                }
            })
            .collect()
    }

    pub(super) fn nearby(&self, count: usize) -> Vec<Request> {
        let mut rng = StdRng::seed_from_u64(17);
        (0..count)
            .map(|_| {
                let at = self.sites[rng.random_range(0..self.sites.len())].coordinates;
                let date = self.busy_days[rng.random_range(0..self.busy_days.len())];
                Request {
                    post_json: None,
                    path: format!(
                        "/api/v1/availability?near={:.4},{:.4}&radius_km=100&date={date}&kind=desk",
                        at.lat(),
                        at.lon()
                    ),
                    token: Arc::clone(&self.bookers[rng.random_range(0..self.bookers.len())].token),
                    session: None,
                }
            })
            .collect()
    }
}
