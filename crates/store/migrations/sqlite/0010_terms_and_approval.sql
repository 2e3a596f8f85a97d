-- Why: sharing a site on terms. A site that asks people to register shows them its terms of use
-- (in fi/sv/en; empty when it has none); a space may ask for approval even where its site does
-- not; and a booking that waited for approval keeps the host's decision: who decided, when, and
-- for a decline, why (1-500 characters, shown to the booker). A partial index finds a site's
-- pending bookings for its hosts without reading its confirmed ones.

ALTER TABLE sites ADD COLUMN terms_fi TEXT NOT NULL DEFAULT '';
ALTER TABLE sites ADD COLUMN terms_sv TEXT NOT NULL DEFAULT '';
ALTER TABLE sites ADD COLUMN terms_en TEXT NOT NULL DEFAULT '';

ALTER TABLE spaces ADD COLUMN approval_required INTEGER NOT NULL DEFAULT 0 CHECK (approval_required IN (0, 1));

ALTER TABLE bookings ADD COLUMN decided_by BLOB REFERENCES people (id);
ALTER TABLE bookings ADD COLUMN decided_at INTEGER CHECK ((decided_at IS NULL) = (decided_by IS NULL));
-- Only a declined booking has a reason, and only a decided one can be declined with it.
ALTER TABLE bookings ADD COLUMN decline_reason TEXT
    CHECK (decline_reason IS NULL OR (status = 'declined' AND decided_at IS NOT NULL
        AND length(decline_reason) BETWEEN 1 AND 500));

CREATE INDEX bookings_pending_by_site ON bookings (site_id, start_at) WHERE status = 'pending_approval';
