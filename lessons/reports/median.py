"""A median aggregate computed in the database.

PostgreSQL has ``percentile_cont``; SQLite has no median, so a small aggregate function is
registered on each SQLite connection (it still runs inside the database's GROUP BY, one call per
group, rather than as a Python loop over fetched rows).
"""

import statistics

from django.db import models
from django.db.backends.signals import connection_created
from django.dispatch import receiver

SQLITE_FUNCTION = "kv_median"


class Median(models.Aggregate):
    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False

    def as_sqlite(self, compiler, connection, **extra_context):
        # The signal below covers new connections; one opened before this module was imported
        # (a test database, a shell) gets the function here. Registering again is harmless.
        connection.ensure_connection()
        connection.connection.create_aggregate(SQLITE_FUNCTION, 1, _SqliteMedian)
        return super().as_sql(
            compiler,
            connection,
            function=SQLITE_FUNCTION,
            template="%(function)s(%(expressions)s)",
            **extra_context,
        )


class _SqliteMedian:
    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value) -> None:
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return statistics.median(self.values) if self.values else None


@receiver(connection_created)
def register_sqlite_median(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate(SQLITE_FUNCTION, 1, _SqliteMedian)
