"""URL converters: an <int:...> in a path is a number a database column can hold."""

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite's is wider, Python's unbounded


class BoundedIntegerConverter(IntegerConverter):
    """<int:...> that does not match a number above MAX_ID (404, as for any unknown id),
    rather than handing the database a number it cannot bind (500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
