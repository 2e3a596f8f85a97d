# Error messages of the API, one per stable error code (the key is the code).
unauthenticated = Sign in first: the request has no valid access token.
access_denied = You do not have permission to do this.
site_not_open_to_you = This site is not open to your organisation.
not_found = What you asked for was not found.
method_not_allowed = This address does not support that method.
booking_conflict = Someone else has already booked this space for that time.
already_exists = The value of { $field } is already in use.
payload_too_large = The request is too large.
unsupported_media_type = Send the request as JSON (Content-Type: application/json).
malformed_json = The request is not valid JSON.
invalid_input = Check the field { $field }: its value is not valid.
invalid_time_range = A booking must start before it ends, on whole minutes, last at least 15 minutes and fall within one day.
space_not_bookable = This space cannot be booked.
registration_required = Register at this site and accept its terms before your first booking.
in_the_past = The time you chose has already passed.
too_far_ahead = Bookings open at most { $max_days } days ahead.
site_closed = The site is closed on { $date }.
site_closed_holiday = The site is closed on { $date } ({ $holiday }).
outside_opening_hours = That time is outside opening hours: on that day the site is open { $opens }–{ $closes }.
already_booked_at_that_time = You already have a booking of this kind at that time.
booking_already_ended = This booking has already ended and can no longer be cancelled.
# Approval
booking_not_pending = This booking is no longer waiting for approval: it has already been approved, declined or cancelled.
cannot_decide_own_booking = You cannot approve or decline your own booking; another host of the site decides.
request_timeout = The request took too long. Please try again.
service_unavailable = The service is temporarily unavailable. Please try again shortly.
internal_error = Something went wrong on our side. The error has been logged.

# Closing days, by key.
holiday-new_years_day = New Year's Day
holiday-epiphany = Epiphany
holiday-good_friday = Good Friday
holiday-easter_sunday = Easter Sunday
holiday-easter_monday = Easter Monday
holiday-may_day = May Day
holiday-ascension_day = Ascension Day
holiday-pentecost = Whit Sunday
holiday-whit_monday = Whit Monday
holiday-national_day = National Day of Sweden
holiday-midsummer_eve = Midsummer Eve
holiday-midsummer_day = Midsummer Day
holiday-all_saints_day = All Saints' Day
holiday-independence_day = Independence Day of Finland
holiday-christmas_eve = Christmas Eve
holiday-christmas_day = Christmas Day
holiday-second_day_of_christmas = St Stephen's Day
holiday-new_years_eve = New Year's Eve
