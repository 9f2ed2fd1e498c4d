"""The demo worksheet in a real browser: the learner answers every kind of question (the timeline
by keyboard too), finds every answer again after a reload, loses the connection during a save
and is told so while the browser keeps the text, gets it saved once the connection is back,
hands in, and downloads the PDF of the answers. axe finds nothing on the way."""

import json
import re
import unicodedata

import pytest
from django.utils.text import slugify

from kompetensverkstad.demo import content
from tests.browser.checks import assert_accessible, pdf_text
from worksheets.models import WorksheetPage
from worksheets.responses import WorksheetResponse

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; the serialized rollback restores what Wagtail's
    # migrations created (root page, groups, workflow) after each test's flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LEARNER = next(u for u in content.DEMO_USERS if u["username"] == "larande")

# Answers. The timeline's second row is added with the button and then moved to the top.
FIRST_ROW = ("1952", "Morfar flyttade från Öland till Kalmar för arbete på varvet.")
ADDED_ROW = ("1989", "Mamma kom från Sarajevo till Västervik.")
REFLECTION = "Flytten gav familjen arbete och nya vänner."
ARABIC = "تعلمت الكثير من القصص"
SCRIPT = "<script>alert(1)</script> Jag tar med mig nyfikenheten."
OFFLINE_ADDITION = " Skrivet när nätet låg nere."
SAVED = re.compile(r"^Sparat kl\. \d{2}:\d{2}$")
OFFLINE_WARNING = (
    "Kunde inte spara just nu. Dina svar finns kvar i webbläsaren och sparas när anslutningen "
    "fungerar igen."
)


def letters(text: str) -> str:
    """Text without whitespace, Arabic presentation forms folded to their letters."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def pending_answers(page, storage_key: str) -> dict:
    """What the script keeps in local storage for the server (empty once all is saved)."""
    return json.loads(page.evaluate("k => localStorage.getItem(k) || '{}'", storage_key))


def wait_until_saved(page, storage_key: str) -> None:
    """The server has everything: nothing left in local storage and "Sparat kl. HH:MM" shown."""
    page.wait_for_function(
        """k => localStorage.getItem(k) === null
             && /^Sparat kl\\. \\d{2}:\\d{2}$/.test(document.getElementById('save-status')
                                                  .textContent.trim())""",
        arg=storage_key,
        timeout=15_000,
    )


def timeline_rows(box) -> list[tuple[str, str]]:
    rows = box.locator(".timeline-row")
    return [
        (
            rows.nth(i).locator(".timeline-period").input_value(),
            rows.nth(i).locator(".timeline-event").input_value(),
        )
        for i in range(rows.count())
    ]


def stored_answers() -> dict:
    response = WorksheetResponse.objects.get(
        user__username=LEARNER["username"], worksheet__slug=content.WORKSHEET["slug"]
    )
    return {key: entry["value"] for key, entry in response.answers.items()}


def test_learner_answers_saves_offline_submits_and_downloads_the_worksheet(tab, demo_site):
    worksheet = WorksheetPage.objects.live().get(slug=content.WORKSHEET["slug"])
    questions = worksheet.question_blocks()
    by_kind: dict[str, list] = {}
    for question in questions:
        by_kind.setdefault(question.block_type, []).append(question)
    # The demo worksheet has every kind: a timeline, a multiple and a single choice, a scale
    # and two reflections.
    assert sorted(by_kind) == ["choice", "reflection", "scale", "timeline"]
    assert sorted(bool(q.value["multiple"]) for q in by_kind["choice"]) == [False, True]
    assert len(by_kind["reflection"]) == 2
    (timeline,) = by_kind["timeline"]
    (scale,) = by_kind["scale"]
    multiple = next(q for q in by_kind["choice"] if q.value["multiple"])
    single = next(q for q in by_kind["choice"] if not q.value["multiple"])
    # The first reflection gets an answer partly in Arabic, the second one with markup in it.
    told, taken = by_kind["reflection"]
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    def box(question):
        return tab.locator(f'[data-question="{question.id}"]')

    # --- Sign in and open the worksheet ----------------------------------------------------------
    tab.goto(f"{demo_site}/konto/logga-in/?next={worksheet.url}")
    tab.get_by_label("E-postadress").fill(LEARNER["username"])
    tab.get_by_label("Lösenord").fill(LEARNER["password"])
    tab.locator("form.account-form").get_by_role("button", name="Logga in").click()
    tab.wait_for_url(re.compile(re.escape(worksheet.url) + "$"))
    assert tab.locator("h1").inner_text() == worksheet.title
    form = tab.locator("#answer-form")
    storage_key = form.get_attribute("data-storage-key")
    autosave_url = demo_site + form.get_attribute("data-autosave-url")
    assert autosave_url == f"{demo_site}{worksheet.url}spara/"
    assert_accessible(tab)

    # --- Every kind of question ------------------------------------------------------------------
    line = box(timeline)
    assert line.locator(".timeline-row").count() == timeline.value["min_rows"]
    line.locator(".timeline-period").first.fill(FIRST_ROW[0])
    line.locator(".timeline-event").first.fill(FIRST_ROW[1])
    line.get_by_role("button", name="Lägg till rad").click()
    added = line.locator(".timeline-row").last
    # The new row takes the focus, so the learner goes on typing there.
    assert added.locator(".timeline-period").evaluate("el => el === document.activeElement")
    tab.keyboard.type(ADDED_ROW[0])
    added.locator(".timeline-event").fill(ADDED_ROW[1])
    rows = timeline.value["min_rows"] + 1
    assert line.locator(".timeline-row").count() == rows
    # Up to the top by keyboard: Enter twice, then Space; the button keeps the focus.
    added.get_by_role("button", name="Flytta upp raden").focus()
    tab.keyboard.press("Enter")
    tab.keyboard.press("Enter")
    tab.keyboard.press("Space")
    focused = tab.evaluate(
        """() => [document.activeElement.getAttribute('aria-label'),
                  document.activeElement.closest('.timeline-row')
                      .querySelector('.timeline-period').value]"""
    )
    assert focused == ["Flytta upp raden", ADDED_ROW[0]]
    assert timeline_rows(line) == [ADDED_ROW, FIRST_ROW] + [("", "")] * (rows - 2)
    # A blank row removed by keyboard too; the focus goes to the row before it.
    line.locator(".timeline-row").last.get_by_role("button", name="Ta bort raden").focus()
    tab.keyboard.press("Enter")
    assert line.locator(".timeline-row").count() == rows - 1
    assert (
        line.locator(".timeline-row")
        .last.locator(".timeline-period")
        .evaluate("el => el === document.activeElement")
    )

    box(multiple).get_by_label(multiple.value["options"][0], exact=True).check()
    box(multiple).get_by_label(multiple.value["options"][2], exact=True).check()
    box(single).get_by_label(single.value["options"][1], exact=True).check()
    box(scale).get_by_label(str(scale.value["max_value"] - 1), exact=True).check()
    box(told).locator("textarea").fill(f"{REFLECTION}\n{ARABIC}")
    box(taken).locator("textarea").fill(SCRIPT)
    box(taken).locator("textarea").blur()

    wait_until_saved(tab, storage_key)
    assert SAVED.match(tab.locator("#save-status").inner_text().strip())

    # --- After a reload every answer is back, from the server ------------------------------------
    tab.reload()
    assert pending_answers(tab, storage_key) == {}
    # Blank rows are not stored; the page adds one to write in.
    assert timeline_rows(box(timeline)) == [ADDED_ROW, FIRST_ROW, ("", "")]
    for option in multiple.value["options"]:
        checked = option in (multiple.value["options"][0], multiple.value["options"][2])
        assert box(multiple).get_by_label(option, exact=True).is_checked() is checked
    assert box(single).get_by_label(single.value["options"][1], exact=True).is_checked()
    assert box(scale).get_by_label(str(scale.value["max_value"] - 1), exact=True).is_checked()
    assert box(told).locator("textarea").input_value() == f"{REFLECTION}\n{ARABIC}"
    assert box(taken).locator("textarea").input_value() == SCRIPT
    assert stored_answers()[taken.id] == SCRIPT

    # --- Offline: the save fails, the learner is told, the browser keeps the text ----------------
    aborted: list[str] = []

    def offline(route):
        aborted.append(route.request.url)
        route.abort()

    tab.route(autosave_url, offline)
    reflection = box(taken).locator("textarea")
    reflection.press("Control+End")
    reflection.press_sequentially(OFFLINE_ADDITION)
    reflection.blur()
    warning = tab.get_by_role("alert").filter(has_text=OFFLINE_WARNING)
    warning.wait_for()
    assert warning.is_visible()
    assert aborted and all(url == autosave_url for url in aborted)
    assert pending_answers(tab, storage_key) == {taken.id: SCRIPT + OFFLINE_ADDITION}
    assert stored_answers()[taken.id] == SCRIPT
    assert_accessible(tab)

    # --- Back online: the next save gets through -------------------------------------------------
    tab.unroute(autosave_url, offline)
    reflection.focus()
    reflection.blur()
    wait_until_saved(tab, storage_key)
    assert stored_answers()[taken.id] == SCRIPT + OFFLINE_ADDITION
    assert tab.get_by_role("alert").filter(has_text=OFFLINE_WARNING).count() == 0

    # --- Hand in ---------------------------------------------------------------------------------
    tab.get_by_role("button", name="Lämna in", exact=True).click()
    tab.wait_for_url(re.compile(re.escape(worksheet.url) + "$"))
    assert tab.get_by_text("Tack! Arbetsbladet är inlämnat (version 1).").is_visible()
    assert tab.get_by_role("button", name="Lämna in igen", exact=True).is_visible()
    assert box(taken).locator("textarea").input_value() == SCRIPT + OFFLINE_ADDITION
    assert pending_answers(tab, storage_key) == {}
    assert_accessible(tab)

    # --- The PDF of the answers ------------------------------------------------------------------
    link = tab.locator(".response-status").get_by_role("link", name="Ladda ned som PDF")
    link.wait_for(timeout=20_000)  # documents.js reloads the page once the PDF is ready
    with tab.expect_download() as download_info:
        link.click()
    download = download_info.value
    # Named after the worksheet and the version, with no storage suffix even when another
    # learner's (or an earlier run's) PDF of the same version exists: each file has its folder.
    name = re.escape(slugify(worksheet.title)[:60])
    assert re.fullmatch(name + r"-v1\.pdf", download.suggested_filename)
    text = pdf_text(download.path())
    assert REFLECTION in text
    assert SCRIPT + OFFLINE_ADDITION in text
    # The timeline in the order the learner left it.
    assert " ".join(ADDED_ROW + FIRST_ROW) in text
    assert ", ".join(multiple.value["options"][i] for i in (0, 2)) in text
    # The Arabic answer comes out in reading order; compared letter by letter, since where the
    # PDF breaks lines and how it shapes the letters is the layout's business.
    assert letters(ARABIC) in letters(text)
    assert dialogs == []
