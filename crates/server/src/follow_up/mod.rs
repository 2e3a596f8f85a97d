//! Follow-up: an organisation's bookings counted, never listed. Only a JSON face today (`api.rs`);
//! the planning pages and charts of the follow-up issue come beside it.

pub mod api;
