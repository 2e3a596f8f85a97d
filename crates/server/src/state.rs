//! What every request handler can reach: the store, the configuration, the clock, and what
//! capabilities keep for the life of the process. Capabilities import it from here; `lib.rs`
//! only puts the application together.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use chrono::{DateTime, Utc};
use hubnet_store::Store;
use hubnet_store::cached::CachedStore;

use crate::config::Config;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The store, with the network's sites and spaces kept in memory for searches.
    pub store: Arc<dyn Store>,
    /// The same store, for reads that may come from the in-memory copy of the network.
    pub directory: Arc<CachedStore>,
    pub config: Arc<Config>,
    pub clock: Clock,
    /// The people the sign-in page offers in demo mode (empty otherwise).
    pub demo_people: Arc<Vec<DemoPerson>>,
    /// What capabilities keep for the life of the process, each under its own type (the
    /// availability API's spaces as JSON, identity providers' discovery documents, ...).
    pub shared: Shared,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: Config) -> Self {
        let directory = Arc::new(CachedStore::new(store));
        Self {
            store: directory.clone(),
            directory,
            config: Arc::new(config),
            clock: Clock::system(),
            demo_people: Arc::new(Vec::new()),
            shared: Shared::default(),
        }
    }

    /// Offers these people on the sign-in page, without a password: for demo installs only.
    #[must_use]
    pub fn with_demo_people(mut self, people: Vec<DemoPerson>) -> Self {
        self.demo_people = Arc::new(people);
        self
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The process's one `T` (made on first use): a capability's cache or discovered documents.
    pub fn shared<T: Default + Send + Sync + 'static>(&self) -> Arc<T> {
        self.shared.get()
    }
}

/// A demo person the sign-in page offers.
#[derive(Debug, Clone)]
pub struct DemoPerson {
    pub email: String,
    pub name: String,
    /// The translation key of what they show.
    pub role_key: &'static str,
}

/// One value of each type, made on first use and kept for the life of the process: a capability
/// keeps its cache here without a field in [`AppState`].
#[derive(Clone, Default)]
pub struct Shared(Arc<RwLock<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>>);

impl Shared {
    pub fn get<T: Default + Send + Sync + 'static>(&self) -> Arc<T> {
        let key = TypeId::of::<T>();
        let found = self.0.read().unwrap_or_else(PoisonError::into_inner).get(&key).cloned();
        let value = found.unwrap_or_else(|| {
            let mut values = self.0.write().unwrap_or_else(PoisonError::into_inner);
            values.entry(key).or_insert_with(|| Arc::new(T::default())).clone()
        });
        // Each value is kept under its own type's id.
        value.downcast().unwrap_or_else(|_| Arc::new(T::default()))
    }
}

/// Where "now" comes from: the system clock, or a fixed instant in tests.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    pub fn system() -> Self {
        Self(Arc::new(Utc::now))
    }

    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self(Arc::new(move || at))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}
