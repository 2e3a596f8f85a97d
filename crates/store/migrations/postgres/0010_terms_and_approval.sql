-- Why: sharing a site on terms. A site that asks people to register shows them its terms of use
-- (in fi/sv/en; empty when it has none); a space may ask for approval even where its site does
-- not; and a booking that waited for approval keeps the host's decision: who decided, when, and
-- for a decline, why (1-500 characters, shown to the booker). A partial index finds a site's
-- pending bookings for its hosts without reading its confirmed ones.

ALTER TABLE sites
    ADD COLUMN terms_fi text NOT NULL DEFAULT '',
    ADD COLUMN terms_sv text NOT NULL DEFAULT '',
    ADD COLUMN terms_en text NOT NULL DEFAULT '';

ALTER TABLE spaces ADD COLUMN approval_required boolean NOT NULL DEFAULT false;

ALTER TABLE bookings
    ADD COLUMN decided_by uuid REFERENCES people (id),
    ADD COLUMN decided_at timestamptz,
    ADD COLUMN decline_reason text,
    ADD CONSTRAINT bookings_decision_complete CHECK ((decided_at IS NULL) = (decided_by IS NULL)),
    -- Only a declined booking has a reason, and only a decided one can be declined with it.
    ADD CONSTRAINT bookings_decline_reason CHECK (decline_reason IS NULL OR (status = 'declined'
        AND decided_at IS NOT NULL AND char_length(decline_reason) BETWEEN 1 AND 500));

CREATE INDEX bookings_pending_by_site ON bookings (site_id, start_at) WHERE status = 'pending_approval';
