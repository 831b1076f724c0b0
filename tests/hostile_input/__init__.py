"""Hostile input never reaches a 500, and a refused submission stores nothing (issue 11).

Hypothesis posts random and hostile values (very long strings, control characters, CR/LF, NUL, script tags,
formula prefixes, huge numbers, wrong types, malformed dates, unknown choices) to every form and write endpoint
of the project. Each example starts from a valid submission and spoils some of its fields, so the values reach
every check a form makes, and runs in a savepoint rolled back afterwards. After each request:

- the answer is never a 5xx (nor an exception);
- when the answer refuses the submission (4xx, or the form shown again with errors), no row was added or
  removed in any table and the record being edited is unchanged;
- a value the rules say must be refused (NUL anywhere, a line break or control character in a one-line field,
  text over the field's limit, a number beyond its range, an unknown choice) is refused: nothing is stored,
  and a page shown again says why.

To cover a new form, add a row to the ENDPOINTS of its area (rows_*.py): who posts, the URL, and each field with a
valid value and its kind (`line`, `text`, `number`, `choice`, ...; kinds.py). A URL that is neither in ENDPOINTS nor
in WITHOUT_INPUT (test_coverage.py) fails `test_every_url_takes_its_input_through_a_fuzzed_endpoint`.
HOSTILE_INPUT_EXAMPLES sets the examples per endpoint (default 12: the whole package runs in well under a minute on
two cores).
"""
