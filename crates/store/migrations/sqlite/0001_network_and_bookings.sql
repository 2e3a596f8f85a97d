-- Why: hubnet's first schema. The network (organisations, units, people, sites, floors, spaces),
-- API tokens and roles, and bookings. Times are INTEGER Unix seconds (UTC): compact for years of
-- bookings and compared as numbers. Ids are 16-byte UUID blobs.
--
-- No double booking is enforced here, not only in code: the triggers at the end refuse an active
-- booking that overlaps another active booking of the same space, or another active booking of
-- the same person for the same kind of space. RAISE(ABORT) undoes only the offending statement,
-- so one transaction can carry the bookings of many concurrent requests and refuse them one by one.

CREATE TABLE organisations (
    id          BLOB PRIMARY KEY NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    name_fi     TEXT NOT NULL,
    name_sv     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('state_agency', 'municipality', 'region', 'coworking_provider', 'other')),
    country     TEXT NOT NULL CHECK (country IN ('FI', 'SE')),
    updated_at  INTEGER NOT NULL
);

CREATE TABLE units (
    id              BLOB PRIMARY KEY NOT NULL,
    organisation_id BLOB NOT NULL REFERENCES organisations (id),
    parent_id       BLOB,
    name_fi         TEXT NOT NULL,
    name_sv         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (id, organisation_id),
    -- A parent unit belongs to the same organisation.
    FOREIGN KEY (parent_id, organisation_id) REFERENCES units (id, organisation_id),
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX units_by_organisation ON units (organisation_id);

CREATE TABLE people (
    id                BLOB PRIMARY KEY NOT NULL,
    organisation_id   BLOB NOT NULL REFERENCES organisations (id),
    unit_id           BLOB,
    name              TEXT NOT NULL,
    email             TEXT NOT NULL UNIQUE,
    language          TEXT NOT NULL CHECK (language IN ('fi', 'sv', 'en')),
    home_municipality TEXT,
    home_lat          REAL CHECK (home_lat BETWEEN -90 AND 90),
    home_lon          REAL CHECK (home_lon BETWEEN -180 AND 180),
    active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    updated_at        INTEGER NOT NULL,
    -- A person's unit belongs to the person's organisation.
    FOREIGN KEY (unit_id, organisation_id) REFERENCES units (id, organisation_id),
    CHECK ((home_lat IS NULL) = (home_lon IS NULL))
);
CREATE INDEX people_by_organisation ON people (organisation_id, name);

CREATE TABLE sites (
    id                    BLOB PRIMARY KEY NOT NULL,
    code                  TEXT NOT NULL UNIQUE,
    kind                  TEXT NOT NULL CHECK (kind IN ('own_office', 'shared_office', 'coworking_hub', 'service_point')),
    organisation_id       BLOB NOT NULL REFERENCES organisations (id),
    name_fi               TEXT NOT NULL,
    name_sv               TEXT NOT NULL,
    name_en               TEXT NOT NULL,
    address               TEXT NOT NULL,
    municipality          TEXT NOT NULL,
    lat                   REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon                   REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    time_zone             TEXT NOT NULL,
    opening_hours         TEXT NOT NULL CHECK (json_valid(opening_hours)),
    closed_on_holidays    INTEGER NOT NULL CHECK (closed_on_holidays IN (0, 1)),
    access_who            TEXT NOT NULL CHECK (access_who IN ('owner_only', 'listed', 'network')),
    registration_required INTEGER NOT NULL CHECK (registration_required IN (0, 1)),
    approval_required     INTEGER NOT NULL CHECK (approval_required IN (0, 1)),
    price_minor           INTEGER CHECK (price_minor >= 0),
    price_currency        TEXT CHECK (price_currency IN ('EUR', 'SEK')),
    booking_horizon_days  INTEGER NOT NULL CHECK (booking_horizon_days BETWEEN 1 AND 730),
    updated_at            INTEGER NOT NULL,
    CHECK ((price_minor IS NULL) = (price_currency IS NULL))
);
CREATE INDEX sites_by_position ON sites (lat, lon);
CREATE INDEX sites_by_organisation ON sites (organisation_id);

-- With access_who = 'listed': the organisations, besides the owner, whose people may book.
CREATE TABLE site_access (
    site_id         BLOB NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    organisation_id BLOB NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (site_id, organisation_id)
) WITHOUT ROWID;

-- People who accepted a site's terms (sites that require registration).
CREATE TABLE site_registrations (
    site_id     BLOB NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    person_id   BLOB NOT NULL REFERENCES people (id),
    accepted_at INTEGER NOT NULL,
    PRIMARY KEY (site_id, person_id)
) WITHOUT ROWID;

CREATE TABLE floors (
    id         BLOB PRIMARY KEY NOT NULL,
    site_id    BLOB NOT NULL REFERENCES sites (id),
    name_fi    TEXT NOT NULL,
    name_sv    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    level      INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (id, site_id)
);
CREATE INDEX floors_by_site ON floors (site_id, level);

CREATE TABLE spaces (
    id            BLOB PRIMARY KEY NOT NULL,
    site_id       BLOB NOT NULL,
    floor_id      BLOB NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('desk', 'quiet_room', 'meeting_room', 'event_space', 'parking')),
    name          TEXT NOT NULL,
    capacity      INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 5000),
    amenities     TEXT NOT NULL DEFAULT '',
    accessibility TEXT NOT NULL DEFAULT '',
    bookable      INTEGER NOT NULL CHECK (bookable IN (0, 1)),
    assigned_to   BLOB REFERENCES people (id),
    updated_at    INTEGER NOT NULL,
    UNIQUE (id, site_id, kind),
    UNIQUE (floor_id, name),
    -- A space lies on a floor of its own site.
    FOREIGN KEY (floor_id, site_id) REFERENCES floors (id, site_id),
    CHECK (NOT (bookable = 1 AND assigned_to IS NOT NULL))
);
CREATE INDEX spaces_by_site ON spaces (site_id, kind);

-- Roles beyond plain membership, each with its scope.
CREATE TABLE role_grants (
    person_id       BLOB NOT NULL REFERENCES people (id),
    role            TEXT NOT NULL CHECK (role IN ('site_host', 'org_admin', 'platform_admin')),
    site_id         BLOB REFERENCES sites (id),
    organisation_id BLOB REFERENCES organisations (id),
    CHECK ((role = 'site_host') = (site_id IS NOT NULL)),
    CHECK ((role = 'org_admin') = (organisation_id IS NOT NULL))
);
CREATE UNIQUE INDEX role_grants_unique ON role_grants (person_id, role, ifnull(site_id, x''), ifnull(organisation_id, x''));

-- API tokens: only a SHA-256 of each token is kept; the token itself is shown once.
CREATE TABLE api_tokens (
    id         BLOB PRIMARY KEY NOT NULL,
    person_id  BLOB NOT NULL REFERENCES people (id),
    token_hash BLOB NOT NULL UNIQUE,
    label      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX api_tokens_by_person ON api_tokens (person_id);

CREATE TABLE bookings (
    id         BLOB PRIMARY KEY NOT NULL,
    space_id   BLOB NOT NULL,
    site_id    BLOB NOT NULL,
    -- The space's kind, kept equal to it by the foreign key, so that one-booking-per-kind is a constraint.
    space_kind TEXT NOT NULL,
    person_id  BLOB NOT NULL REFERENCES people (id),
    created_by BLOB NOT NULL REFERENCES people (id),
    start_at   INTEGER NOT NULL,
    end_at     INTEGER NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('confirmed', 'pending_approval', 'checked_in', 'cancelled', 'released_no_show', 'declined')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    -- The booking's site and kind are the space's: changing a space's kind changes its bookings'
    -- copy, and the overlap rules below apply to the changed rows.
    FOREIGN KEY (space_id, site_id, space_kind) REFERENCES spaces (id, site_id, kind) ON UPDATE CASCADE,
    CHECK (end_at > start_at)
);
CREATE INDEX bookings_by_space ON bookings (space_id, end_at);
CREATE INDEX bookings_by_person ON bookings (person_id, end_at);
CREATE INDEX bookings_by_site ON bookings (site_id, start_at);

CREATE TRIGGER bookings_no_overlap_insert
BEFORE INSERT ON bookings
WHEN NEW.status IN ('confirmed', 'pending_approval', 'checked_in')
BEGIN
    SELECT RAISE(ABORT, 'booking_conflict')
    WHERE EXISTS (
        SELECT 1 FROM bookings b
        WHERE b.space_id = NEW.space_id
          AND b.end_at > NEW.start_at AND b.start_at < NEW.end_at
          AND b.status IN ('confirmed', 'pending_approval', 'checked_in'));
    SELECT RAISE(ABORT, 'already_booked_at_that_time')
    WHERE EXISTS (
        SELECT 1 FROM bookings b
        WHERE b.person_id = NEW.person_id AND b.space_kind = NEW.space_kind
          AND b.end_at > NEW.start_at AND b.start_at < NEW.end_at
          AND b.status IN ('confirmed', 'pending_approval', 'checked_in'));
END;

CREATE TRIGGER bookings_no_overlap_update
BEFORE UPDATE OF space_id, person_id, space_kind, start_at, end_at, status ON bookings
WHEN NEW.status IN ('confirmed', 'pending_approval', 'checked_in')
BEGIN
    SELECT RAISE(ABORT, 'booking_conflict')
    WHERE EXISTS (
        SELECT 1 FROM bookings b
        WHERE b.space_id = NEW.space_id AND b.id <> NEW.id
          AND b.end_at > NEW.start_at AND b.start_at < NEW.end_at
          AND b.status IN ('confirmed', 'pending_approval', 'checked_in'));
    SELECT RAISE(ABORT, 'already_booked_at_that_time')
    WHERE EXISTS (
        SELECT 1 FROM bookings b
        WHERE b.person_id = NEW.person_id AND b.space_kind = NEW.space_kind AND b.id <> NEW.id
          AND b.end_at > NEW.start_at AND b.start_at < NEW.end_at
          AND b.status IN ('confirmed', 'pending_approval', 'checked_in'));
END;
