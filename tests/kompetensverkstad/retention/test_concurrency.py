"""Two culling runs at once: rows another run holds are skipped, not waited for (PostgreSQL's
SKIP LOCKED), and each row is removed by one run only."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from kompetensverkstad.privacy.access.models import AccessLogEntry
from kompetensverkstad.privacy.retention.culling import cull_kind, plans
from tests import factories

pytestmark = pytest.mark.skipif(
    not connection.features.has_select_for_update_skip_locked,
    reason="SKIP LOCKED needs PostgreSQL (SQLite runs one writer at a time anyway)",
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_another_run_holds_are_skipped_not_waited_for():
    actor, subject = factories.UserFactory(), factories.UserFactory()
    old = timezone.now() - timedelta(days=10_000)
    rows = [AccessLogEntry(actor=actor, subject=subject, what="document") for _ in range(6)]
    AccessLogEntry.objects.bulk_create(rows)
    AccessLogEntry.objects.update(at=old)
    held_ids = list(AccessLogEntry.objects.order_by("pk").values_list("pk", flat=True)[:2])

    holding, release = threading.Event(), threading.Event()

    def other_run_holds_two_rows():
        # Another run's batch: its rows locked inside an open transaction.
        try:
            with transaction.atomic():
                list(AccessLogEntry.objects.select_for_update().filter(pk__in=held_ids))
                holding.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    other = threading.Thread(target=other_run_holds_two_rows)
    other.start()
    try:
        assert holding.wait(timeout=30)
        plan = next(p for p in plans() if p.kind.name == "access_log")
        run = cull_kind(plan)
    finally:
        release.set()
        other.join(timeout=30)

    assert run.deleted == 4
    assert sorted(AccessLogEntry.objects.values_list("pk", flat=True)) == held_ids
    # Once the other run let go, the next run takes what is left.
    assert cull_kind(plan).deleted == 2
