"""The access log: the one call higher layers make (``log_access``), the row Wagtail's user
editor writes, the report in the admin (filters, CSV/XLSX, who may see it), and what an
erasure leaves of a row (nothing that names the person)."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kompetensverkstad.privacy.access import log_access, log_access_many
from kompetensverkstad.privacy.access.models import AccessLogEntry
from kompetensverkstad.privacy.access.platform import DATA_EXPORT, DOCUMENT, USER_EDIT
from kompetensverkstad.privacy.erasure import erase_user
from tests import factories


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.KV_REQUIRE_2FA_FOR_STAFF = False


def test_log_access_writes_one_row_and_skips_oneself_and_nobody(superuser, learner, rf):
    request = rf.get("/")
    request.user = superuser
    assert log_access(request, learner, DATA_EXPORT, detail="ZIP") is True
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.subject, entry.what, entry.detail) == (
        superuser,
        learner,
        DATA_EXPORT,
        "ZIP",
    )
    assert log_access(learner, learner, DATA_EXPORT) is False
    assert log_access(AnonymousUser(), learner, DATA_EXPORT) is False
    assert AccessLogEntry.objects.count() == 1


def test_log_access_many_writes_a_row_per_other_person(superuser, learner, other_learner):
    written = log_access_many(superuser, [learner, other_learner.pk, superuser], DOCUMENT)
    assert written == 2
    assert set(AccessLogEntry.objects.values_list("subject_id", flat=True)) == {
        learner.pk,
        other_learner.pk,
    }


def test_an_unregistered_kind_is_refused(superuser, learner):
    with pytest.raises(LookupError):
        log_access(superuser, learner, "peeked")
    assert not AccessLogEntry.objects.exists()


def test_opening_a_users_edit_page_writes_one_row(client, superuser, learner):
    client.force_login(superuser)
    url = reverse("wagtailusers_users:edit", args=[learner.pk])
    assert client.get(url).status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.subject, entry.what) == (superuser, learner, USER_EDIT)
    # One's own account is not someone else's data.
    assert client.get(reverse("wagtailusers_users:edit", args=[superuser.pk])).status_code == 200
    assert AccessLogEntry.objects.count() == 1


def test_a_refused_edit_page_writes_nothing(client, editor, learner):
    client.force_login(editor)
    response = client.get(reverse("wagtailusers_users:edit", args=[learner.pk]))
    assert response.status_code == 302  # Wagtail's "permission denied" to the dashboard
    assert not AccessLogEntry.objects.exists()


# --- The report in the admin ------------------------------------------------------------------


@pytest.fixture
def entries(superuser, learner, other_learner, trainer):
    log_access(superuser, learner, USER_EDIT)
    log_access(trainer, other_learner, DOCUMENT, detail="Arbetsblad")
    old = AccessLogEntry.objects.create(
        actor=trainer, subject=learner, what=DOCUMENT, detail="Gammalt"
    )
    AccessLogEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))
    return AccessLogEntry.objects.all()


def _names(response) -> list[tuple[str, str, str]]:
    return [(r.actor_name, r.subject_name, r.what) for r in response.context["object_list"]]


def test_report_lists_and_filters_by_who_whose_what_and_date(client, superuser, entries):
    client.force_login(superuser)
    url = reverse("kv_access_log")
    everything = client.get(url)
    assert everything.status_code == 200
    assert len(_names(everything)) == 3
    assert "Amina Exempelsson" in everything.text

    by_whose = client.get(url, {"subject": "amina@example"})
    assert {s for _a, s, _w in _names(by_whose)} == {"Amina Exempelsson"}
    assert len(_names(by_whose)) == 2

    by_who = client.get(url, {"actor": "utbildare1"})
    assert {a for a, _s, _w in _names(by_who)} == {"Tove Utbildare"}

    by_what = client.get(url, {"what": USER_EDIT})
    assert [w for _a, _s, w in _names(by_what)] == [USER_EDIT]

    today = timezone.localdate().isoformat()
    recent = client.get(url, {"at_from": today, "at_to": today})
    assert {w.detail for w in recent.context["object_list"]} == {"", "Arbetsblad"}

    results = client.get(reverse("kv_access_log_results"), {"what": DOCUMENT})
    assert results.status_code == 200 and "Gammalt" in results.text


def test_report_exports_csv_and_xlsx(client, superuser, entries):
    client.force_login(superuser)
    url = reverse("kv_access_log")
    response = client.get(url, {"export": "csv", "what": DOCUMENT})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert rows[0] == [
        "När",
        "Vem",
        "E-post (vem)",
        "Vems uppgifter",
        "E-post (vems uppgifter)",
        "Vad",
        "Närmare",
    ]
    assert len(rows) == 3
    assert {r[3] for r in rows[1:]} == {"Amina Exempelsson", "Bo Andersson"}
    assert {r[5] for r in rows[1:]} == {"PDF-dokument"}

    xlsx = client.get(url, {"export": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True)
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert "Användarkontot i administrationen" in cells and "Tove Utbildare" in cells


def test_only_those_with_the_right_see_the_report(client, editor, learner, entries):
    url = reverse("kv_access_log")
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert client.get(url + "?export=csv").status_code == 302
    client.force_login(learner)
    assert client.get(url)["Location"].startswith(reverse("wagtailadmin_login"))


def test_erasure_leaves_the_row_without_the_person(superuser, learner, entries):
    erase_user(learner, reason="test")
    assert AccessLogEntry.objects.count() == 3
    assert AccessLogEntry.objects.filter(subject__isnull=True).count() == 2
    gone = AccessLogEntry.objects.filter(subject__isnull=True).first()
    assert gone.subject_name == "(raderat konto)" and gone.subject_email == ""


def test_a_staff_member_s_view_of_their_own_edit_page_is_not_logged(client, db):
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    client.get(reverse("wagtailusers_users:edit", args=[staff.pk]))
    assert not AccessLogEntry.objects.exists()


def test_report_queries_do_not_grow_with_the_rows(client, superuser, django_assert_max_num_queries):
    people = [factories.UserFactory() for _ in range(3)]
    for person in people:
        log_access_many(superuser, [p for p in people if p != person], DOCUMENT)
    client.force_login(superuser)
    url = reverse("kv_access_log")
    client.get(url)  # warm the session and Wagtail's per-request caches
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    many = [factories.UserFactory() for _ in range(20)]
    log_access_many(superuser, many, DOCUMENT)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
