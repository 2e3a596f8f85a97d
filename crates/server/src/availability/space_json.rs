//! Each site's spaces as JSON fragments, made once per copy of the site's spaces, for the
//! availability API's answers (kept in [`crate::state::AppState`]).

use crate::error::AppError;
use hubnet_domain::{SiteId, Space};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Each space of a site as JSON, all but its closing brace, made once per copy of the site's
/// spaces: a site's availability then only appends `"free"` to each. Serialising a site's
/// spaces anew for every answer was a third of the server's work in the benchmark.
#[derive(Default)]
pub struct SpaceJson(Mutex<HashMap<SiteId, Fragments>>);

/// A copy of a site's spaces and their JSON fragments.
type Fragments = (Arc<Vec<Space>>, Arc<Vec<String>>);

impl SpaceJson {
    /// The fragments of these spaces, in their order; made again when the copy changed.
    pub fn of(&self, site: SiteId, spaces: &Arc<Vec<Space>>) -> Result<Arc<Vec<String>>, AppError> {
        let poisoned = || AppError::Internal("the space JSON cache was poisoned".into());
        if let Some((copy, json)) = self.0.lock().map_err(|_| poisoned())?.get(&site)
            && Arc::ptr_eq(copy, spaces)
        {
            return Ok(Arc::clone(json));
        }
        let mut json = Vec::with_capacity(spaces.len());
        for space in spaces.iter() {
            let mut object = serde_json::to_string(space).map_err(|e| AppError::Internal(e.to_string()))?;
            // An object of at least one field: drop its closing brace to append more.
            object.pop();
            json.push(object);
        }
        let json = Arc::new(json);
        self.0.lock().map_err(|_| poisoned())?.insert(site, (Arc::clone(spaces), Arc::clone(&json)));
        Ok(json)
    }
}
