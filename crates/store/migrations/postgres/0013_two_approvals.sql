-- Why: a booking can need two approvals: the site's (the site or the space asks) and the booker's
-- organisation's (its workplace policy asks for an exception). The organisation decides first;
-- until it has, `awaits_organisation` is set and the site's approvers cannot decide it (they see
-- it held and pending). Bookings already pending at a site and space that do not ask for approval
-- waited for the policy; those pending where both asked keep only the site's step.

ALTER TABLE bookings ADD COLUMN awaits_organisation boolean NOT NULL DEFAULT false;

UPDATE bookings b SET awaits_organisation = true
WHERE b.status = 'pending_approval'
  AND NOT EXISTS (SELECT 1 FROM sites s WHERE s.id = b.site_id AND s.approval_required)
  AND NOT EXISTS (SELECT 1 FROM spaces p WHERE p.id = b.space_id AND p.approval_required);
