"""The learner's whole path through the demo module in a real browser: sign in, watch the
lecture, read the article, hand in the worksheet, and come away with a certificate whose PDF
and public check page name the learner and the module. axe finds nothing on the way."""

import json
import re
import zipfile

import pytest
from django.utils import timezone

from kompetensverkstad.demo import content
from lessons.learning.models import ModuleCompletion, StepProgress, StepState
from lessons.models import LecturePage, LessonsLearnedPage, ModulePage, ModuleStep
from tests.browser.checks import assert_accessible, pdf_text
from worksheets.models import WorksheetPage

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; the serialized rollback restores what Wagtail's
    # migrations created (root page, groups, workflow) after each test's flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LEARNER = next(u for u in content.DEMO_USERS if u["username"] == "larande")
LEARNER_NAME = f"{LEARNER['first_name']} {LEARNER['last_name']}"


def state_of(step: ModuleStep) -> str:
    progress = StepProgress.objects.filter(step=step, user__username=LEARNER["username"]).first()
    return progress.state if progress else ""


def test_learner_completes_the_demo_module_and_gets_a_certificate(tab, demo_site):
    module = ModulePage.objects.live().get(slug=content.MODULE["slug"])
    lecture = LecturePage.objects.live().get(slug=content.LECTURE["slug"])
    article = LessonsLearnedPage.objects.live().get(slug=content.LESSONS_LEARNED["slug"])
    worksheet = WorksheetPage.objects.live().get(slug=content.WORKSHEET["slug"])
    steps = {s.kind: s for s in module.steps.all()}
    required = sum(s.required for s in steps.values())
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # --- Sign in through the form; it brings the learner to the module -----------------------
    tab.goto(f"{demo_site}/konto/logga-in/?next={module.url}")
    assert tab.get_by_role("heading", name="Logga in").is_visible()
    assert_accessible(tab)
    # The field is labelled for an e-mail address; the demo accounts sign in with a username.
    tab.get_by_label("E-postadress").fill(LEARNER["username"])
    tab.get_by_label("Lösenord").fill(LEARNER["password"])
    tab.locator("form.account-form").get_by_role("button", name="Logga in").click()
    tab.wait_for_url(re.compile(re.escape(module.url) + "$"))
    assert tab.locator("h1").inner_text() == module.title
    assert tab.locator(".progress__text").inner_text().startswith(f"0 av {required} ")
    assert_accessible(tab)

    # --- The lecture, played to the end (16 times as fast, muted) ----------------------------
    tab.get_by_role("link", name=lecture.title, exact=True).click()
    tab.wait_for_url(re.compile(re.escape(lecture.url) + "$"))
    assert tab.locator("#step-state").inner_text().strip() == "Inte påbörjat"
    assert_accessible(tab)
    tab.evaluate(
        "() => { const v = document.getElementById('lecture-video'); v.muted = true; "
        "v.playbackRate = 16; return v.play(); }"
    )
    # The player reports what was played when the film ends; the server then answers
    # "completed" and the script changes the status text without a reload.
    tab.wait_for_function("document.getElementById('lecture-video').ended", timeout=30_000)
    tab.wait_for_function(
        "document.getElementById('step-state').textContent.trim() === 'Klart'", timeout=10_000
    )
    assert state_of(steps[ModuleStep.Kind.LECTURE]) == StepState.COMPLETED
    progress = StepProgress.objects.get(
        step=steps[ModuleStep.Kind.LECTURE], user__username=LEARNER["username"]
    )
    assert progress.watched_seconds >= 0.9 * content.LECTURE["video"]["duration"]
    tab.reload()
    assert tab.locator("#step-state").inner_text().strip() == "Klart"
    # Done: the "mark as watched" button is gone.
    assert tab.get_by_role("button", name="Markera föreläsningen som sedd").count() == 0

    # --- The article, marked as read ------------------------------------------------------------
    tab.goto(demo_site + article.url)
    assert_accessible(tab)
    tab.get_by_role("button", name="Markera som läst").click()
    tab.wait_for_url(re.compile(re.escape(article.url) + "$"))
    assert tab.get_by_text("Steget är markerat som klart.").is_visible()
    assert tab.locator("#step-state").inner_text().strip() == "Klart"
    assert state_of(steps[ModuleStep.Kind.ARTICLE]) == StepState.COMPLETED

    # --- Mina sidor: two of three done; "continue" leads to the worksheet ---------------------
    tab.goto(f"{demo_site}/mina-sidor/")
    card = tab.locator("li.card", has=tab.get_by_role("link", name=module.title, exact=True))
    assert (
        card.locator(".progress__text")
        .first.inner_text()
        .startswith(f"2 av {required} obligatoriska steg klara")
    )
    assert tab.get_by_text("Inga genomförda moduler ännu.").is_visible()
    assert_accessible(tab)
    card.get_by_role("link", name=re.compile("^Fortsätt där du slutade")).click()
    tab.wait_for_url(re.compile(re.escape(worksheet.url) + "$"))

    # --- The worksheet: the required questions answered, then handed in ----------------------
    assert_accessible(tab)
    questions = {q.id: q for q in worksheet.question_blocks()}
    for qid, question in questions.items():
        if not question.value["required"]:
            continue
        box = tab.locator(f'[data-question="{qid}"]')
        kind = question.block_type
        if kind == "timeline":
            box.locator(".timeline-period").first.fill("1952")
            box.locator(".timeline-event").first.fill("Morfar flyttade från Öland till Kalmar.")
        elif kind == "choice":
            box.get_by_label(question.value["options"][0], exact=True).check()
        elif kind == "scale":
            box.get_by_label(str(question.value["max_value"]), exact=True).check()
        elif kind == "reflection":
            box.locator("textarea").fill("Flytten gav familjen arbete och nya vänner.")
    tab.get_by_role("button", name="Lämna in", exact=True).click()
    tab.wait_for_url(re.compile(re.escape(worksheet.url) + "$"))
    assert tab.get_by_text("Tack! Arbetsbladet är inlämnat (version 1).").is_visible()
    assert tab.locator("#step-state").inner_text().strip() == "Klart"

    # The last required step completes the module; its certificate is made after commit.
    completion = ModuleCompletion.objects.get(module=module, user__username=LEARNER["username"])
    assert completion.learner_name == LEARNER_NAME

    # --- Mina sidor: the module is done, the certificate ready to download ----------------------
    tab.goto(f"{demo_site}/mina-sidor/")
    done = tab.locator("section[aria-labelledby=klara]")
    link = done.get_by_role("link", name="Ladda ned intyget (PDF)")
    link.wait_for(timeout=20_000)  # documents.js swaps it in, should rendering lag behind
    assert done.get_by_role("link", name=module.title, exact=True).is_visible()
    code = done.locator("code").inner_text().strip()
    assert code == completion.verification_code
    assert_accessible(tab)
    with tab.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    text = pdf_text(download.path())
    assert LEARNER_NAME in text
    assert " ".join(module.title.split()) in text

    # --- Anyone can check the certificate by its code -----------------------------------------
    tab.goto(f"{demo_site}/intyg/{code}/")
    facts = tab.locator("dl.facts")
    assert tab.get_by_role("heading", name="Intyget är giltigt").is_visible()
    assert facts.get_by_text(LEARNER_NAME, exact=True).is_visible()
    assert facts.get_by_text(module.title, exact=True).is_visible()
    today = timezone.localtime(completion.completed_at).strftime("%Y-%m-%d")
    assert facts.get_by_text(today, exact=True).is_visible()
    assert_accessible(tab)
    assert dialogs == []


def test_learner_downloads_their_data_and_sees_what_closing_the_account_means(tab, demo_site):
    """Mina sidor → Mina uppgifter: the ZIP is made and downloaded; the closing page explains
    and asks for a tick (not sent here: the demo learner is shared by the browser tests)."""
    tab.goto(f"{demo_site}/konto/logga-in/?next=/mina-sidor/")
    tab.get_by_label("E-postadress").fill(LEARNER["username"])
    tab.get_by_label("Lösenord").fill(LEARNER["password"])
    tab.locator("form.account-form").get_by_role("button", name="Logga in").click()
    tab.wait_for_url(re.compile(r"/mina-sidor/$"))
    tab.get_by_role("link", name="Mina uppgifter", exact=True).click()
    tab.wait_for_url(re.compile(r"/mina-sidor/mina-uppgifter/$"))
    assert_accessible(tab)
    tab.get_by_role("button", name=re.compile("mina uppgifter$")).click()
    link = tab.get_by_role("link", name="Ladda ned mina uppgifter (ZIP)")
    link.wait_for(timeout=20_000)
    assert_accessible(tab)
    with tab.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(download.path()) as archive:
        data = json.loads(archive.read("uppgifter.json"))
    assert data["account"][0]["username"] == LEARNER["username"]

    tab.get_by_role("link", name="Stäng mitt konto").click()
    tab.wait_for_url(re.compile(r"/stang-kontot/$"))
    assert tab.get_by_label(re.compile("inte går att ångra")).is_visible()
    assert_accessible(tab)
