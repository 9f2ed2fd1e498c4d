"""The completion report: its numbers, filters, chart, export, and its query count."""

import io
import statistics
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lessons.reports.queries import ReportFilter, completion_rows
from tests import factories

from .builders import build_county, expected

URL = "kv_reports:completion"


def _xlsx(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(book.active.iter_rows(values_only=True))


def test_rows_have_the_known_counts(county) -> None:
    ids = tuple(m.pk for m in county.municipalities.values())
    rows = completion_rows(ReportFilter(municipality_ids=ids))
    assert [(r.group_label, r.module_title) for r in rows] == [
        ("Kalmar", "Modul 1"),
        ("Vimmerby", "Modul 1"),
    ]
    want = expected(8)
    for row in rows:
        assert row.invited == want["invited"]
        assert row.started == want["started"]
        assert row.completed == want["completed"]
        assert row.attended == want["attended"]
        # Learners 0, 2, 4, 6: 2 + i % 3 days from their first step to completion.
        assert row.median_days == statistics.median([2, 4, 3, 2])
        assert row.share_percent == 50
        # Learner i signed in unless i % 5 == 4.
        assert row.active == 7


def test_period_bounds_completion_dates(county) -> None:
    ids = (county.municipalities["Kalmar"].pk,)
    start = county.modules[0].steps.first().progress.order_by("started_at").first().started_at
    day = start.date()
    rows = completion_rows(
        ReportFilter(municipality_ids=ids, start=day, end=day + timedelta(days=2))
    )
    # Only learner 0 (started day 0, done after 2 days) completed in the first three days.
    assert rows[0].completed == 1


def test_groups_by_county_and_job_title(county) -> None:
    ids = tuple(m.pk for m in county.municipalities.values())
    by_county = completion_rows(ReportFilter(municipality_ids=ids, group_by="county"))
    assert [(r.group_label, r.invited, r.completed) for r in by_county] == [("Kalmar län", 16, 8)]
    by_title = completion_rows(ReportFilter(municipality_ids=ids, group_by="job_title"))
    labels = {r.group_label: r.invited for r in by_title}
    assert labels == {"Handläggare": 4, "Lärare": 4, "Undersköterska": 4, "Yrkesroll saknas": 4}


def test_administrator_sees_every_municipality_with_chart(client, county, admin_user) -> None:
    client.force_login(admin_user)
    response = client.get(reverse(URL))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kalmar" in html and "Vimmerby" in html
    assert "<svg" in html and 'role="img"' in html and "data-report-chart" in html
    assert "Kalmar – Modul 1: 50 %" in html  # the chart's description for screen readers


def test_filters_in_the_query_string(client, county, admin_user) -> None:
    client.force_login(admin_user)
    kalmar = county.municipalities["Kalmar"]
    response = client.get(
        reverse(URL),
        {"municipality": kalmar.pk, "module": county.modules[0].pk, "job_title": "Lärare"},
    )
    rows = response.context["object_list"]
    assert [(r.group_label, r.invited) for r in rows] == [("Kalmar", 2)]
    results = client.get(reverse("kv_reports:completion_results"), {"group_by": "county"})
    assert results.status_code == 200
    assert [r.group_label for r in results.context["object_list"]] == ["Kalmar län"]


def test_coordinator_sees_only_their_municipality(client, county, coordinator) -> None:
    client.force_login(coordinator)
    response = client.get(reverse(URL))
    assert response.status_code == 200
    assert [r.group_label for r in response.context["object_list"]] == ["Kalmar"]
    assert "Vimmerby" not in response.content.decode()


def test_coordinator_asking_for_another_municipality_gets_404(client, county, coordinator):
    client.force_login(coordinator)
    vimmerby = county.municipalities["Vimmerby"]
    for name in (URL, "kv_reports:completion_results"):
        for params in (
            {"municipality": vimmerby.pk},
            {"municipality": vimmerby.pk, "export": "xlsx"},
            {"municipality": vimmerby.pk, "export": "csv"},
            {"county": "kronoberg"},
        ):
            assert client.get(reverse(name), params).status_code == 404, (name, params)


def test_coordinator_xlsx_export_holds_no_other_municipality(client, county, coordinator):
    client.force_login(coordinator)
    for params in ({}, {"group_by": "job_title"}, {"group_by": "county"}):
        response = client.get(reverse(URL), {**params, "export": "xlsx"})
        assert response.status_code == 200
        rows = _xlsx(response)
        assert rows[0][0] == "Grupp"
        assert all("Vimmerby" not in str(cell) for row in rows for cell in row)
        # Only Kalmar's 8 people are counted, whatever the grouping.
        assert sum(row[2] for row in rows[1:]) == 8
    csv = client.get(reverse(URL), {"export": "csv"})
    assert b"Vimmerby" not in b"".join(csv.streaming_content)


def test_xlsx_export_has_the_numbers(client, county, admin_user) -> None:
    client.force_login(admin_user)
    rows = _xlsx(client.get(reverse(URL), {"export": "xlsx"}))
    assert rows[0] == (
        "Grupp",
        "Modul",
        "Inbjudna",
        "Aktiva",
        "Påbörjat",
        "Slutfört",
        "Andel slutfört",
        "Mediantid till slutfört (dagar)",
        "Deltog i workshop",
    )
    assert rows[1] == ("Kalmar", "Modul 1", 8, 7, 6, 4, 0.5, 2.5, 3)


@pytest.mark.parametrize(
    ("who", "refused_to"),
    [
        ("anonymous", "/admin/login/"),  # no admin access: Wagtail's sign-in
        ("learner", "/admin/login/"),
        ("editor", "/admin/"),  # Wagtail's permission_denied(): the dashboard with an error
    ],
)
def test_others_may_not_see_reports(client, county, who, refused_to) -> None:
    if who == "learner":
        client.force_login(factories.UserFactory())
    elif who == "editor":
        client.force_login(factories.UserFactory(groups=["Editors"]))
    for url in (
        reverse(URL),
        reverse(URL) + "?export=xlsx",
        reverse(
            "kv_reports:learners", args=[county.municipalities["Kalmar"].pk, county.modules[0].pk]
        ),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].split("?")[0] == refused_to


REPORT_URLS = (
    {},
    {"export": "xlsx"},
    {"export": "csv"},
    {"group_by": "job_title"},
    {"group_by": "county", "period_after": "2026-03-01", "period_before": "2026-03-31"},
)


def _query_counts(client, county) -> list[int]:
    counts = []
    for params in REPORT_URLS:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(URL), params)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200
        counts.append(len(captured))
    first = county.municipalities[next(iter(county.municipalities))]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(
            reverse("kv_reports:learners", args=[first.pk, county.modules[0].pk]),
            {"export": "xlsx"},
        )
        b"".join(response.streaming_content)
    counts.append(len(captured))
    return counts


def test_report_query_count_is_constant(
    client, home, admin_user, django_assert_max_num_queries
) -> None:
    """The same number of queries for 3 municipalities x 4 learners as for 7 x 40 (more
    learners and more rows), for every report and export; and never many."""
    small = build_county(home, per_municipality=4, names=("A", "B", "C"), modules=3)
    client.force_login(admin_user)
    client.get(reverse(URL))  # warm Wagtail's per-process caches (site, menus)
    before = _query_counts(client, small)
    build_county(home, per_municipality=40, names=("D", "E", "F", "G"), existing=small.modules)
    large = build_county(home, per_municipality=36, names=("H",), existing=small.modules)
    assert len(client.get(reverse(URL)).context["object_list"]) == 8 * 3
    after = _query_counts(client, small)
    assert after == before
    assert max(after) <= 25
    with django_assert_max_num_queries(25):
        response = client.get(
            reverse("kv_reports:learners", args=[large.municipalities["H"].pk, small.modules[0].pk])
        )
    assert len(response.context["object_list"]) == 36
