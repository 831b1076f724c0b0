"""Who may open what: every URL the project routes, requested as every role, against one table.

The URLs come from Django's resolver, so a new URL fails `test_every_url_is_in_the_matrix` until it is
given a row here. Each row says what each role gets for a GET: a status code, `L` (sent to log in) or
`R` (redirected elsewhere). Columns, in order:

    anon  supporter  editor(own)  editor(other)  researcher(own)  researcher(other)
    reviewer  campaigner  staff  superuser

"own" is the organisation (Alpha Aid) that holds every object of the world below; "other" is Beta
Relief. `staff` is an account with the admin flag and no role. Every user here logs in with a
verified session (two-factor done), as they would after logging in.

Secret links (confirm, reset, "your data", RSVP) are requested with a token that is not theirs: no role
opens them without the link. The takeover of issue 11 is the row of `staff/outbox/` and of the
admin's e-mails (coalition/core/tests/test_secret_links.py walks it step by step).
"""
