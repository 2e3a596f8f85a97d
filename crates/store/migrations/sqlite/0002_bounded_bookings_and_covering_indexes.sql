-- Why: searches and reports at national scale (docs/performance.md).
--
-- A booking lies within one day's opening hours, so it lasts at most 25 hours (the day the
-- clocks go back). The schema says so, which bounds every "what overlaps this window" scan to
-- the bookings that start in the 25 hours before the window: a site's bookings are read over
-- two days, not over a year.
--
-- Each booking index carries the columns its queries read, so overlap checks, availability
-- and utilisation are answered from the index alone.

CREATE TRIGGER bookings_at_most_25_hours_insert
BEFORE INSERT ON bookings
WHEN NEW.end_at - NEW.start_at > 90000
BEGIN
    SELECT RAISE(ABORT, 'booking_too_long');
END;

CREATE TRIGGER bookings_at_most_25_hours_update
BEFORE UPDATE OF start_at, end_at ON bookings
WHEN NEW.end_at - NEW.start_at > 90000
BEGIN
    SELECT RAISE(ABORT, 'booking_too_long');
END;

DROP INDEX bookings_by_space;
CREATE INDEX bookings_by_space ON bookings (space_id, end_at, start_at, status);
DROP INDEX bookings_by_person;
CREATE INDEX bookings_by_person ON bookings (person_id, end_at, start_at, status, space_kind, site_id);
DROP INDEX bookings_by_site;
CREATE INDEX bookings_by_site ON bookings (site_id, start_at, end_at, status, space_id);
