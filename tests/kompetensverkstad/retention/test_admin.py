"""Retention in the admin: the periods as a setting administrators edit, the preview of what
would go (deleting nothing) and the log of what went, with its export; nobody else sees them."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kompetensverkstad.privacy.access.models import AccessLogEntry
from kompetensverkstad.privacy.retention.culling import cull
from kompetensverkstad.privacy.retention.models import RetentionRun, RetentionSettings


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.KV_REQUIRE_2FA_FOR_STAFF = False


@pytest.fixture
def old_entries(superuser, learner):
    for _ in range(3):
        AccessLogEntry.objects.create(actor=superuser, subject=learner, what="document")
    AccessLogEntry.objects.update(at=timezone.now() - timedelta(days=3650))


def test_preview_shows_what_would_go_and_deletes_nothing(client, superuser, old_entries):
    client.force_login(superuser)
    response = client.get(reverse("kv_retention"))
    assert response.status_code == 200
    counts = {item.plan.kind.name: item.count for item in response.context["preview"]}
    assert counts["access_log"] == 3
    assert 'data-kind="access_log"' in response.text
    assert AccessLogEntry.objects.count() == 3
    assert not RetentionRun.objects.exists()
    settings_url = reverse("wagtailsettings:edit", args=["kompetensverkstad", "retentionsettings"])
    assert settings_url in response.text


def test_run_log_is_listed_filtered_and_exported(client, superuser, old_entries):
    cull()
    client.force_login(superuser)
    url = reverse("kv_retention")
    listed = client.get(url, {"kind": "access_log"})
    runs = list(listed.context["object_list"])
    assert [(r.kind, r.deleted) for r in runs] == [("access_log", 3)]

    response = client.get(url, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert rows[0][:2] == ["Körd", "Slag"]
    assert rows[[r[1] for r in rows].index("Åtkomstloggen")][1:3] == ["Åtkomstloggen", "730"]
    assert len(rows) == 1 + RetentionRun.objects.count()


def test_administrator_edits_the_periods(client, superuser):
    client.force_login(superuser)
    url = reverse("wagtailsettings:edit", args=["kompetensverkstad", "retentionsettings"])
    page = client.get(url, follow=True)
    assert page.status_code == 200 and "Lärhändelser" in page.text
    data = {
        "worksheet_answers_days": 365,
        "worksheet_drafts_days": 90,
        "learning_events_days": 0,
        "inactive_accounts_days": 730,
        "workshop_attendance_days": 1095,
        "access_log_days": 730,
    }
    response = client.post(page.wsgi_request.path, data)
    assert response.status_code == 302
    settings = RetentionSettings.load()
    assert (settings.worksheet_drafts_days, settings.learning_events_days) == (90, 0)
    bad = client.post(page.wsgi_request.path, {**data, "access_log_days": 99_999_999})
    assert bad.status_code == 200 and RetentionSettings.load().access_log_days == 730


def test_only_administrators_see_retention(client, editor, learner):
    client.force_login(editor)
    for url in (reverse("kv_retention"), reverse("kv_retention_results")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    settings_url = reverse("wagtailsettings:edit", args=["kompetensverkstad", "retentionsettings"])
    last = client.get(settings_url, follow=True).redirect_chain[-1][0]
    assert last == reverse("wagtailadmin_home")
    client.force_login(learner)
    assert client.get(reverse("kv_retention"))["Location"].startswith(reverse("wagtailadmin_login"))
