//! Floors and spaces: desks, rooms, event spaces and parking.

use crate::text::keyed_enum;
use crate::{FloorId, InvalidValue, LocalizedText, PersonId, SiteId, SpaceId};

keyed_enum!(
    /// What a space is for. A person holds at most one booking of each kind at a time.
    SpaceKind, "kind" {
        Desk => "desk",
        QuietRoom => "quiet_room",
        MeetingRoom => "meeting_room",
        EventSpace => "event_space",
        Parking => "parking",
    }
);

keyed_enum!(
    /// Equipment a space offers.
    Amenity, "amenities" {
        Screen => "screen",
        DualScreens => "dual_screens",
        DockingStation => "docking_station",
        HeightAdjustableDesk => "height_adjustable_desk",
        ErgonomicChair => "ergonomic_chair",
        VideoConferencing => "video_conferencing",
        Whiteboard => "whiteboard",
        Projector => "projector",
        SoundProofing => "sound_proofing",
        Kitchenette => "kitchenette",
        EvCharging => "ev_charging",
        NaturalLight => "natural_light",
    }
);

keyed_enum!(
    /// What makes a space usable for people with disabilities.
    AccessibilityFeature, "accessibility" {
        WheelchairAccessible => "wheelchair_accessible",
        StepFreeAccess => "step_free_access",
        HearingLoop => "hearing_loop",
        AccessibleToilet => "accessible_toilet",
        LowStimulus => "low_stimulus",
        AccessibleParking => "accessible_parking",
    }
);

/// A floor of a site. `level` orders floors (0 is the entrance level; negative is below).
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Floor {
    pub id: FloorId,
    pub site_id: SiteId,
    pub name: LocalizedText,
    pub level: i16,
}

/// A space on a floor. A fixed space belongs to one person (`assigned_to`) and is not bookable.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Space {
    pub id: SpaceId,
    pub site_id: SiteId,
    pub floor_id: FloorId,
    pub kind: SpaceKind,
    pub name: String,
    /// How many people fit (1 for a desk); the space is still booked as a whole.
    pub capacity: u16,
    pub amenities: Vec<Amenity>,
    pub accessibility: Vec<AccessibilityFeature>,
    pub bookable: bool,
    pub assigned_to: Option<PersonId>,
    /// Bookings of this space wait for a host's approval, whatever its site asks.
    pub approval_required: bool,
}

impl Space {
    /// Checks the parts of a space that do not depend on other records.
    pub fn validate(&self) -> Result<(), InvalidValue> {
        crate::text::parse_name(&self.name, "name")?;
        if self.capacity == 0 || self.capacity > 5000 {
            return Err(InvalidValue::new("capacity", "capacity is between 1 and 5000"));
        }
        if self.kind == SpaceKind::Desk && self.capacity != 1 {
            return Err(InvalidValue::new("capacity", "a desk seats one person"));
        }
        if self.bookable && self.assigned_to.is_some() {
            return Err(InvalidValue::new("assigned_to", "a space assigned to a person is fixed, not bookable"));
        }
        Ok(())
    }
}

/// Sorts and de-duplicates a list of keyed values, so that stored lists compare equal.
pub fn normalise<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort();
    items.dedup();
    items
}
