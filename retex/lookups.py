"""Values from URLs and query strings used to look rows up.

PostgreSQL refuses a NUL character in a string literal: a lookup by such a
value raises instead of matching nothing, and the page answers 500. No row can
match a value with a NUL (nor one longer than its column), so such a value is
simply "not found".
"""


def lookup_value(value, *, max_length: int | None = None) -> str | None:
    """`value` as a string fit for a lookup, or None when no row can match it."""
    if value is None:
        return None
    value = str(value)
    if "\x00" in value or (max_length is not None and len(value) > max_length):
        return None
    return value
