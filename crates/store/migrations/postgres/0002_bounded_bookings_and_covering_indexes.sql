-- Why: searches and reports at national scale (docs/performance.md).
--
-- A booking lies within one day's opening hours, so it lasts at most 25 hours (the day the
-- clocks go back). The schema says so, which bounds every "what overlaps this window" scan to
-- the bookings that start in the 25 hours before the window: a site's bookings are read over
-- two days, not over a year.
--
-- The site and person indexes carry the columns their queries read, so availability and
-- utilisation can be answered by index-only scans.

ALTER TABLE bookings ADD CONSTRAINT bookings_at_most_25_hours CHECK (end_at - start_at <= interval '25 hours');

DROP INDEX bookings_by_person;
CREATE INDEX bookings_by_person ON bookings (person_id, end_at) INCLUDE (start_at, status, site_id);
DROP INDEX bookings_by_site;
CREATE INDEX bookings_by_site ON bookings (site_id, start_at) INCLUDE (end_at, status, space_id);
