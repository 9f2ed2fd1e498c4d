"""Hand-written statements on the hot paths: a cursor that PostgreSQL plans once per connection.

Django's PostgreSQL backend binds parameters on the client and never prepares (prepared
statements break connection poolers in transaction mode), so a statement sent a thousand times
is parsed and planned a thousand times. For the few statements that a learner's every step
sends (``lessons.learning``), ``prepared_cursor`` binds on the server and prepares the
statement on first use; it is wrapped like Django's own cursors, so query logging and
``CaptureQueriesContext`` count it as before.

``KV_PREPARED_STATEMENTS = False`` (environment ``KV_PREPARED_STATEMENTS=0``) turns this off,
for a pooler in transaction mode that does not track prepared statements (PgBouncer before
1.21): the same statements are then sent as Django sends every other.
"""

import psycopg
from django.conf import settings
from django.db import connection
from django.db.backends.utils import CursorWrapper

_NEVER = 2**31 - 1


class _PreparingCursor(psycopg.Cursor):
    """Binds on the server and prepares every statement it sends (psycopg keeps the prepared
    statements of a connection, by their text, for as long as the connection lives)."""

    def execute(self, query, params=None, *, prepare=None, binary=None):  # noqa: ARG002
        return super().execute(query, params, prepare=True, binary=binary)


def prepared_cursor() -> CursorWrapper:
    """A cursor for a statement sent many times; use as ``with prepared_cursor() as cursor``.

    On PostgreSQL (unless turned off) it binds parameters on the server and prepares each
    statement on first use; elsewhere it is Django's own cursor.
    """
    if connection.vendor != "postgresql" or not getattr(settings, "KV_PREPARED_STATEMENTS", True):
        return connection.cursor()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        # Django turns preparing off (None), and then psycopg ignores prepare=True too. A
        # threshold that no statement reaches prepares only what asks for it: Django's own
        # cursors bind on the client and never prepare, whatever the threshold.
        connection.connection.prepare_threshold = _NEVER
    raw = _PreparingCursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)
