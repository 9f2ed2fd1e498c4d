"""The demo coordinator in a real browser: signs in to the admin, opens the completion report,
filters it, sees the chart, opens the drill-down and downloads the XLSX; axe finds nothing."""

import re

import pytest
from openpyxl import load_workbook

from kompetensverkstad.accounts.models import Municipality
from tests.browser.checks import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COORDINATOR = ("samordnare", "demo-samordnare")  # README's demo users


def test_coordinator_filters_the_report_and_downloads_it(tab, demo_site, tmp_path) -> None:
    page = tab
    page.goto(f"{demo_site}/admin/rapporter/genomforande/")
    assert "/admin/login/" in page.url
    page.fill("#id_username", COORDINATOR[0])
    page.fill("#id_password", COORDINATOR[1])
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/rapporter/genomforande/$"))

    chart = page.locator("[data-report-chart] svg[role=img]")
    chart.wait_for()
    assert "Kalmar" in page.locator("#listing-results table").inner_text()
    assert "Västervik" not in page.content()  # the demo learner's municipality is not theirs
    assert_accessible(page)

    # Filters live in the query string: by job title, in the coordinator's municipality.
    kalmar = Municipality.objects.get(name="Kalmar")
    page.goto(
        f"{demo_site}/admin/rapporter/genomforande/?group_by=job_title&municipality={kalmar.pk}"
    )
    page.locator("[data-report-chart] svg[role=img]").wait_for()
    assert "Utbildare i interkulturell kompetens" in page.locator("#listing-results").inner_text()
    assert_accessible(page)

    # Another municipality's rows: nothing.
    other = Municipality.objects.get(name="Västervik")
    answer = page.goto(f"{demo_site}/admin/rapporter/genomforande/?municipality={other.pk}")
    assert answer.status == 404

    page.goto(f"{demo_site}/admin/rapporter/genomforande/")
    page.locator("[data-report-drilldown]").first.click()
    page.wait_for_url(re.compile(r"/admin/rapporter/genomforande/\d+/\d+/$"))
    assert "Svar på arbetsblad visas aldrig här" in page.content()
    assert_accessible(page)

    page.goto(f"{demo_site}/admin/rapporter/genomforande/")
    xlsx = page.locator('a[href*="export=xlsx"]')
    if not xlsx.is_visible():
        # Wagtail keeps the downloads in the header's "more" menu.
        page.locator("header [data-w-dropdown-target='toggle']").first.click()
    with page.expect_download() as download:
        xlsx.click()
    path = tmp_path / "genomforande.xlsx"
    download.value.save_as(path)
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][0] == "Grupp"
    assert {row[0] for row in rows[1:]} == {"Kalmar"}
    # The demo staff of Kalmar (kompetensverkstad/demo/progress.py): three completed, two
    # under way; Västervik's completions are not counted here.
    completed, started = rows[0].index("Slutfört"), rows[0].index("Påbörjat")
    assert sum(row[completed] for row in rows[1:]) == 3
    assert sum(row[started] for row in rows[1:]) >= 5
