"""Row ids as requests carry them: a row's id is a positive signed 64-bit integer."""

# The largest id a database row can have; a larger number cannot even be compared by the
# databases (SQLite overflows, PostgreSQL is out of range).
MAX_ID = 2**63 - 1


def is_id(value):
    """Whether text sent in a request (a query value, a form field) could be a row's id."""
    # isdigit() alone also takes "²" and "１", which int() refuses or reads otherwise.
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19 and int(value) > 0
