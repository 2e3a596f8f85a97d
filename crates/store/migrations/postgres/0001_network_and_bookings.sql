-- Why: hubnet's first schema. The network (organisations, units, people, sites, floors, spaces),
-- API tokens and roles, and bookings.
--
-- No double booking is enforced by the database: two exclusion constraints (btree_gist) refuse
-- an active booking that overlaps another active booking of the same space, or of the same person
-- for the same kind of space. They hold across any number of hubnet servers sharing the database.
-- btree_gist ships with PostgreSQL (contrib); creating it needs a role allowed to create
-- extensions, once.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE organisations (
    id          uuid PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    name_fi     text NOT NULL,
    name_sv     text NOT NULL,
    name_en     text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('state_agency', 'municipality', 'region', 'coworking_provider', 'other')),
    country     text NOT NULL CHECK (country IN ('FI', 'SE')),
    updated_at  timestamptz NOT NULL
);

CREATE TABLE units (
    id              uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    parent_id       uuid,
    name_fi         text NOT NULL,
    name_sv         text NOT NULL,
    name_en         text NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (id, organisation_id),
    FOREIGN KEY (parent_id, organisation_id) REFERENCES units (id, organisation_id),
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX units_by_organisation ON units (organisation_id);

CREATE TABLE people (
    id                uuid PRIMARY KEY,
    organisation_id   uuid NOT NULL REFERENCES organisations (id),
    unit_id           uuid,
    name              text NOT NULL,
    email             text NOT NULL UNIQUE,
    language          text NOT NULL CHECK (language IN ('fi', 'sv', 'en')),
    home_municipality text,
    home_lat          double precision CHECK (home_lat BETWEEN -90 AND 90),
    home_lon          double precision CHECK (home_lon BETWEEN -180 AND 180),
    active            boolean NOT NULL DEFAULT true,
    updated_at        timestamptz NOT NULL,
    FOREIGN KEY (unit_id, organisation_id) REFERENCES units (id, organisation_id),
    CHECK ((home_lat IS NULL) = (home_lon IS NULL))
);
CREATE INDEX people_by_organisation ON people (organisation_id, name);

CREATE TABLE sites (
    id                    uuid PRIMARY KEY,
    code                  text NOT NULL UNIQUE,
    kind                  text NOT NULL CHECK (kind IN ('own_office', 'shared_office', 'coworking_hub', 'service_point')),
    organisation_id       uuid NOT NULL REFERENCES organisations (id),
    name_fi               text NOT NULL,
    name_sv               text NOT NULL,
    name_en               text NOT NULL,
    address               text NOT NULL,
    municipality          text NOT NULL,
    lat                   double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon                   double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    time_zone             text NOT NULL,
    opening_hours         jsonb NOT NULL,
    closed_on_holidays    boolean NOT NULL,
    access_who            text NOT NULL CHECK (access_who IN ('owner_only', 'listed', 'network')),
    registration_required boolean NOT NULL,
    approval_required     boolean NOT NULL,
    price_minor           bigint CHECK (price_minor >= 0),
    price_currency        text CHECK (price_currency IN ('EUR', 'SEK')),
    booking_horizon_days  integer NOT NULL CHECK (booking_horizon_days BETWEEN 1 AND 730),
    updated_at            timestamptz NOT NULL,
    CHECK ((price_minor IS NULL) = (price_currency IS NULL))
);
CREATE INDEX sites_by_position ON sites (lat, lon);
CREATE INDEX sites_by_organisation ON sites (organisation_id);

CREATE TABLE site_access (
    site_id         uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (site_id, organisation_id)
);

CREATE TABLE site_registrations (
    site_id     uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    person_id   uuid NOT NULL REFERENCES people (id),
    accepted_at timestamptz NOT NULL,
    PRIMARY KEY (site_id, person_id)
);

CREATE TABLE floors (
    id         uuid PRIMARY KEY,
    site_id    uuid NOT NULL REFERENCES sites (id),
    name_fi    text NOT NULL,
    name_sv    text NOT NULL,
    name_en    text NOT NULL,
    level      integer NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (id, site_id)
);
CREATE INDEX floors_by_site ON floors (site_id, level);

CREATE TABLE spaces (
    id            uuid PRIMARY KEY,
    site_id       uuid NOT NULL,
    floor_id      uuid NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('desk', 'quiet_room', 'meeting_room', 'event_space', 'parking')),
    name          text NOT NULL,
    capacity      integer NOT NULL CHECK (capacity BETWEEN 1 AND 5000),
    amenities     text[] NOT NULL DEFAULT '{}',
    accessibility text[] NOT NULL DEFAULT '{}',
    bookable      boolean NOT NULL,
    assigned_to   uuid REFERENCES people (id),
    updated_at    timestamptz NOT NULL,
    UNIQUE (id, site_id, kind),
    UNIQUE (floor_id, name),
    FOREIGN KEY (floor_id, site_id) REFERENCES floors (id, site_id),
    CHECK (NOT (bookable AND assigned_to IS NOT NULL))
);
CREATE INDEX spaces_by_site ON spaces (site_id, kind);

CREATE TABLE role_grants (
    person_id       uuid NOT NULL REFERENCES people (id),
    role            text NOT NULL CHECK (role IN ('site_host', 'org_admin', 'platform_admin')),
    site_id         uuid REFERENCES sites (id),
    organisation_id uuid REFERENCES organisations (id),
    CHECK ((role = 'site_host') = (site_id IS NOT NULL)),
    CHECK ((role = 'org_admin') = (organisation_id IS NOT NULL))
);
CREATE UNIQUE INDEX role_grants_unique ON role_grants (person_id, role, coalesce(site_id, organisation_id));

CREATE TABLE api_tokens (
    id         uuid PRIMARY KEY,
    person_id  uuid NOT NULL REFERENCES people (id),
    token_hash bytea NOT NULL UNIQUE,
    label      text NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX api_tokens_by_person ON api_tokens (person_id);

CREATE TABLE bookings (
    id         uuid PRIMARY KEY,
    space_id   uuid NOT NULL,
    site_id    uuid NOT NULL,
    space_kind text NOT NULL,
    person_id  uuid NOT NULL REFERENCES people (id),
    created_by uuid NOT NULL REFERENCES people (id),
    start_at   timestamptz NOT NULL,
    end_at     timestamptz NOT NULL,
    status     text NOT NULL CHECK (status IN ('confirmed', 'pending_approval', 'checked_in', 'cancelled', 'released_no_show', 'declined')),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    -- The booking's site and kind are the space's: changing a space's kind changes its bookings'
    -- copy, and the overlap rules below apply to the changed rows.
    FOREIGN KEY (space_id, site_id, space_kind) REFERENCES spaces (id, site_id, kind) ON UPDATE CASCADE,
    CHECK (end_at > start_at),
    CONSTRAINT bookings_no_double_booking EXCLUDE USING gist (
        space_id WITH =,
        tstzrange(start_at, end_at, '[)') WITH &&
    ) WHERE (status IN ('confirmed', 'pending_approval', 'checked_in')),
    CONSTRAINT bookings_one_per_kind EXCLUDE USING gist (
        person_id WITH =,
        space_kind WITH =,
        tstzrange(start_at, end_at, '[)') WITH &&
    ) WHERE (status IN ('confirmed', 'pending_approval', 'checked_in'))
);
CREATE INDEX bookings_by_person ON bookings (person_id, end_at);
CREATE INDEX bookings_by_site ON bookings (site_id, start_at);
