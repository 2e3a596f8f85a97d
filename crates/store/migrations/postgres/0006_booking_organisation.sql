-- Why: a utilisation or cost report counts an organisation's bookings. Joining every booking to
-- its person made the count read and group every booking of the organisation's people. A booking
-- now keeps the organisation its person belonged to when it was made (what a cost report wants:
-- who booked, as of then), and an index in (organisation, site, start, end) order serves the
-- count by itself.

ALTER TABLE bookings ADD COLUMN organisation_id uuid REFERENCES organisations (id);
UPDATE bookings b SET organisation_id = p.organisation_id FROM people p WHERE p.id = b.person_id;
ALTER TABLE bookings ALTER COLUMN organisation_id SET NOT NULL;
CREATE INDEX bookings_by_organisation ON bookings (organisation_id, site_id, start_at, end_at, status);
