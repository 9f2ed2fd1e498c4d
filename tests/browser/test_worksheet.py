"""The demo worksheet in a real browser: the learner answers every kind of question (the timeline
by keyboard too), finds every answer again after a reload, loses the connection during a save
and is told so while the browser keeps the text, gets it saved once the connection is back,
hands in, and downloads the PDF of the answers. axe finds nothing on the way.

Issue 15 in the browser: an answer over its limit is counted and flagged while typing, the
autosave says it is too long instead of "Sparat", the hand-in refuses it, and the corrected draft
survives the reload — with the script (the reload is a plain visit) and without it (the browser
sends the refused form again, which is refused as older than the correction). Two tabs on the
same worksheet: the older one saving last is asked which text to keep instead of winning."""

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


# Issue 15: the demo's first reflection allows 3,000 characters; the learner types 3,500.
TOO_LONG = "Morfar berättade om varvet. " + "x" * 3472
CORRECTED = "Morfar berättade om varvet, kortare nu."
TOO_LONG_STATUS = re.compile(
    r"^För långt svar – se meddelandet vid frågan\. Utkastet är sparat kl\. \d{2}:\d{2}, men kan "
    r"inte lämnas in förrän svaret är kortare\.$"
)


def letters(text: str) -> str:
    """Text without whitespace, Arabic presentation forms folded to their letters."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def pending_answers(page, storage_key: str) -> dict:
    """What the script keeps in local storage for the server (empty once all is saved): each
    answer with the draft version it was typed on; here the answers only."""
    kept = json.loads(page.evaluate("k => localStorage.getItem(k) || '{}'", storage_key))
    return {key: entry["value"] for key, entry in kept.items()}


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


def sign_in_to_worksheet(tab, demo_site: str, worksheet) -> None:
    tab.goto(f"{demo_site}/konto/logga-in/?next={worksheet.url}")
    tab.get_by_label("E-postadress").fill(LEARNER["username"])
    tab.get_by_label("Lösenord").fill(LEARNER["password"])
    tab.locator("form.account-form").get_by_role("button", name="Logga in").click()
    tab.wait_for_url(re.compile(re.escape(worksheet.url) + "$"))


def wait_for_status(page, pattern: str) -> None:
    page.wait_for_function(
        "p => new RegExp(p).test(document.getElementById('save-status').textContent.trim())",
        arg=pattern,
        timeout=15_000,
    )


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


# --- Issue 15 ----------------------------------------------------------------------------------


def demo_worksheet():
    worksheet = WorksheetPage.objects.live().get(slug=content.WORKSHEET["slug"])
    reflections = [q for q in worksheet.question_blocks() if q.block_type == "reflection"]
    assert reflections[0].value["max_length"] == 3000
    return worksheet, reflections


def test_too_long_answer_is_flagged_while_typing_and_the_correction_survives_a_reload(
    tab, demo_site
):
    worksheet, (told, taken) = demo_worksheet()
    sign_in_to_worksheet(tab, demo_site, worksheet)
    storage_key = tab.locator("#answer-form").get_attribute("data-storage-key")
    field = tab.locator(f"#q-{told.id}")
    counter = tab.locator(f"#count-{told.id}")
    # The limit is on the page before anything is typed, and named by the field.
    assert counter.inner_text() == "0 av högst 3 000 tecken"
    assert f"count-{told.id}" in field.get_attribute("aria-describedby")

    # --- 1. 3,500 characters: counted and flagged while typing ------------------------------------
    field.fill(TOO_LONG)
    assert counter.inner_text() == (
        "3 500 av högst 3 000 tecken – 500 för många. Korta svaret innan du lämnar in."
    )
    assert field.get_attribute("aria-invalid") == "true"
    # Screen readers hear it once typing pauses (a polite live region beside the counter).
    tab.wait_for_function(
        "id => document.getElementById('count-live-' + id).textContent.includes('500 för många')",
        arg=told.id,
    )
    assert tab.locator(f"#count-live-{told.id}").get_attribute("aria-live") == "polite"
    # The autosave keeps the text as a draft but says it is too long, not "Sparat".
    field.blur()
    wait_for_status(tab, TOO_LONG_STATUS.pattern)
    status = tab.locator("#save-status")
    assert status.get_attribute("role") == "alert"
    warning = tab.locator(f'[data-question="{told.id}"] .field-warning')
    assert "Svaret får vara högst 3 000 tecken (nu 3 500)." in warning.inner_text()
    assert warning.get_attribute("id") in field.get_attribute("aria-describedby")
    assert stored_answers()[told.id] == TOO_LONG
    assert pending_answers(tab, storage_key) == {}
    assert_accessible(tab)

    # --- The hand-in refuses it with the same figures --------------------------------------------
    tab.get_by_role("button", name="Lämna in", exact=True).click()
    summary = tab.locator("#felsammanfattning")
    summary.wait_for()
    assert "högst 3 000 tecken (nu 3 500)" in summary.inner_text()
    assert field.input_value() == TOO_LONG
    assert_accessible(tab)

    # --- 2. Shortened: saved ---------------------------------------------------------------------
    field.fill(CORRECTED)
    assert counter.inner_text() == f"{len(CORRECTED)} av högst 3 000 tecken"
    assert "för många" not in counter.inner_text()
    field.blur()
    wait_until_saved(tab, storage_key)
    assert stored_answers()[told.id] == CORRECTED
    # The hand-in's message at the question is gone once the corrected answer is saved.
    assert tab.locator(f'[data-question="{told.id}"] .field-error').count() == 0
    assert field.get_attribute("aria-invalid") is None

    # --- The reload: a plain visit, not the refused form sent again ------------------------------
    posts: list[str] = []
    tab.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    tab.reload()
    assert posts == []
    assert field.input_value() == CORRECTED
    assert stored_answers()[told.id] == CORRECTED
    assert tab.locator("#felsammanfattning").count() == 0
    assert_accessible(tab)


def test_without_the_script_the_resent_refused_form_never_overwrites_the_correction(
    chromium, demo_site
):
    worksheet, (told, _taken) = demo_worksheet()
    # None of the site's scripts run. (The browser's own JavaScript stays on: axe runs in it.)
    context = chromium.new_context(locale="sv-SE")
    context.set_default_timeout(10_000)
    blocked: list[str] = []
    context.route(
        re.compile(r"/static/.*\.js(\?.*)?$"),
        lambda route: (blocked.append(route.request.url), route.abort()),
    )
    try:
        first = context.new_page()
        sign_in_to_worksheet(first, demo_site, worksheet)
        field = first.locator(f"#q-{told.id}")
        # Without the script the limit is still on the page, and the form posts.
        assert first.locator(f"#count-{told.id}").inner_text() == "Högst 3 000 tecken."
        field.fill(TOO_LONG)
        first.get_by_role("button", name="Lämna in", exact=True).click()
        first.locator("#felsammanfattning").wait_for()
        assert "högst 3 000 tecken (nu 3 500)" in first.locator("#felsammanfattning").inner_text()
        assert field.input_value() == TOO_LONG

        # The correction is saved (here from a second tab, "Spara utkast": post/redirect/get).
        second = context.new_page()
        second.goto(demo_site + worksheet.url)
        second.locator(f"#q-{told.id}").fill(CORRECTED)
        second.get_by_role("button", name="Spara utkast", exact=True).click()
        second.get_by_text("Utkastet är sparat.").wait_for()
        assert stored_answers()[told.id] == CORRECTED

        # The first tab reloads: without the script the browser sends the refused form again.
        resent: list[str] = []
        first.on(
            "request", lambda r: resent.append(r.method) if r.url.endswith(worksheet.url) else None
        )
        first.reload()
        assert resent == ["POST"]
        summary = first.locator("#felsammanfattning")
        assert summary.get_attribute("role") == "alert"
        assert "Inte sparat: dina svar har ändrats efter det här formuläret" in summary.inner_text()
        # The page is built from the saved draft; the old text is beside it, marked unsaved.
        assert field.input_value() == CORRECTED
        unsaved = first.locator(f"#unsaved-{told.id}")
        assert "Inte sparat:" in unsaved.inner_text()
        assert TOO_LONG in unsaved.inner_text()
        assert stored_answers()[told.id] == CORRECTED
        assert WorksheetResponse.objects.get(user__username=LEARNER["username"]).status == "draft"
        assert_accessible(first)
        assert any(url.endswith("/worksheet.js") for url in blocked)
    finally:
        context.close()


def test_two_tabs_the_older_one_saving_last_is_asked_instead_of_winning(tab, demo_site):
    worksheet, (told, taken) = demo_worksheet()
    scale = next(q for q in worksheet.question_blocks() if q.block_type == "scale")
    single = next(
        q
        for q in worksheet.question_blocks()
        if q.block_type == "choice" and not q.value["multiple"]
    )
    sign_in_to_worksheet(tab, demo_site, worksheet)
    other = tab.context.new_page()  # same browser, same sign-in: a second tab
    other_errors: list[str] = []
    other.on("pageerror", lambda exc: other_errors.append(str(exc)))
    other.goto(demo_site + worksheet.url)
    storage_key = tab.locator("#answer-form").get_attribute("data-storage-key")

    def box(page, question):
        return page.locator(f'[data-question="{question.id}"]')

    # The first tab saves an answer and a scale value.
    box(tab, told).locator("textarea").fill("Från flik ett.")
    box(tab, scale).get_by_label("2", exact=True).check()
    box(tab, told).locator("textarea").blur()
    wait_until_saved(tab, storage_key)

    # --- The second tab, opened before that save, saves the same question last -------------------
    box(other, told).locator("textarea").fill("Från flik två.")
    box(other, told).locator("textarea").blur()
    conflict = other.locator(f"#conflict-{told.id}")
    conflict.wait_for()
    assert other.locator("#save-status").get_attribute("role") == "alert"
    assert "annan flik" in other.locator("#save-status").inner_text()
    # Both texts are there: the learner's in the field, the saved one in the box.
    assert box(other, told).locator("textarea").input_value() == "Från flik två."
    assert conflict.locator(".draft-conflict__text").inner_text() == "Från flik ett."
    assert conflict.get_attribute("role") == "group"
    # The question the second tab did not touch now shows what the first one saved.
    assert box(other, scale).get_by_label("2", exact=True).is_checked()
    assert stored_answers()[told.id] == "Från flik ett."
    assert_accessible(other)

    # Handing in is held back until the learner has chosen.
    other.get_by_role("button", name="Lämna in", exact=True).click()
    assert "Välj vid frågan" in other.locator("#save-status").inner_text()
    assert other.evaluate("() => document.activeElement.getAttribute('data-conflict')") == "keep"
    assert WorksheetResponse.objects.get(user__username=LEARNER["username"]).status == "draft"

    # Keeping the second tab's text is a deliberate save on the newer version.
    conflict.get_by_role("button", name="Behåll min text och spara den").click()
    wait_until_saved(other, storage_key)
    assert stored_answers()[told.id] == "Från flik två."
    assert conflict.count() == 0
    assert other.evaluate("() => document.activeElement.id") == f"q-{told.id}"

    # --- Now the first tab is the older one: it is asked in turn and takes the saved text --------
    box(tab, told).locator("textarea").fill("Från flik ett, igen.")
    box(tab, told).locator("textarea").blur()
    first_conflict = tab.locator(f"#conflict-{told.id}")
    first_conflict.wait_for()
    assert first_conflict.locator(".draft-conflict__text").inner_text() == "Från flik två."
    first_conflict.get_by_role("button", name="Använd det sparade svaret").click()
    assert box(tab, told).locator("textarea").input_value() == "Från flik två."
    assert pending_answers(tab, storage_key) == {}
    assert stored_answers()[told.id] == "Från flik två."

    # --- Different questions from the two tabs: both are kept, no question asked -----------------
    box(tab, taken).locator("textarea").fill("Andra frågan, från flik ett.")
    box(tab, taken).locator("textarea").blur()
    wait_until_saved(tab, storage_key)
    box(other, single).get_by_label(single.value["options"][0], exact=True).check()
    wait_until_saved(other, storage_key)
    assert other.locator(".js-conflict").count() == 0
    assert box(other, taken).locator("textarea").input_value() == "Andra frågan, från flik ett."
    answers = stored_answers()
    assert answers[taken.id] == "Andra frågan, från flik ett."
    assert answers[single.id] == single.value["options"][0]
    assert answers[told.id] == "Från flik två."

    # --- The older tab hands in before its autosave has run: the form is refused as too old ------
    box(tab, told).locator("textarea").fill("Slutversion från flik ett.")
    box(tab, told).locator("textarea").blur()
    wait_until_saved(tab, storage_key)
    box(other, told).locator("textarea").fill("Slutversion från flik två.")
    other.get_by_role("button", name="Lämna in", exact=True).click()
    other.locator("#felsammanfattning").wait_for()
    assert "Inte sparat: dina svar har ändrats" in other.locator("#felsammanfattning").inner_text()
    assert WorksheetResponse.objects.get(user__username=LEARNER["username"]).status == "draft"
    assert stored_answers()[told.id] == "Slutversion från flik ett."
    # The script turns the server's "not saved" text into the same choice as above...
    refused = other.locator(f"#conflict-{told.id}")
    assert refused.locator(".draft-conflict__text").inner_text() == "Slutversion från flik ett."
    assert box(other, told).locator("textarea").input_value() == "Slutversion från flik två."
    assert other.locator(f"#unsaved-{told.id}").count() == 0
    assert_accessible(other)
    # ...which a reload keeps: the learner's text is not lost by leaving the refused page.
    other.reload()
    assert box(other, told).locator("textarea").input_value() == "Slutversion från flik två."
    other.locator(f"#conflict-{told.id}").get_by_role(
        "button", name="Behåll min text och spara den"
    ).click()
    wait_until_saved(other, storage_key)
    assert stored_answers()[told.id] == "Slutversion från flik två."
    assert other_errors == []
    other.close()
