"""Drafts and hand-ins apply the same rules, and newer words are never replaced by older ones.

Issue 15, step by step: an answer over its question's limit is kept as a draft but reported as
too long (not "Sparat"), with the same figures the hand-in refuses it with; a corrected draft
after a refused hand-in survives a reload that sends the refused form again; a save from an
older draft version — a reloaded form, the back button, a second tab — is refused (409) with the
newer answers, and nothing is overwritten.
"""

import json
import re
import threading

import pytest
from django.db import connection
from django.test import Client

from tests import factories
from worksheets.answering import StaleDraft, save_draft
from worksheets.responses import WorksheetResponse, WorksheetSubmission

pytestmark = pytest.mark.django_db

LIMIT = 3000
TOO_LONG = "Min berättelse. " + "å" * 3484  # 3,500 characters, as in the issue
CORRECTED = "Min berättelse, kortare nu."


@pytest.fixture
def worksheet(worksheet_page):
    """The suite's worksheet with the issue's limit: 3,000 characters for the reflection."""
    questions = [dict(child) for child in worksheet_page.questions.raw_data]
    for child in questions:
        if child["type"] == "reflection":
            child["value"] = {**child["value"], "max_length": LIMIT}
    worksheet_page.questions = questions
    worksheet_page.save_revision().publish()
    worksheet_page.refresh_from_db()
    return worksheet_page


@pytest.fixture
def learner(db):
    return factories.UserFactory(first_name="Amal", last_name="Haddad")


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def ids_of(page) -> dict[str, str]:
    return {block.block_type: block.id for block in page.questions}


def autosave(client, page, answers, version=None):
    payload = {"answers": answers}
    if version is not None:
        payload["draft_version"] = version
    return client.post(page.url + "spara/", json.dumps(payload), content_type="application/json")


def form_version(html: str) -> int:
    """The draft version the page's form was built from (its hidden draft_version field)."""
    return int(re.search(r'name="draft_version" value="(\d+)"', html).group(1))


def textarea(html: str, question_id: str) -> str:
    match = re.search(rf'<textarea id="q-{question_id}"[^>]*>(.*?)</textarea>', html, re.S)
    return match.group(1)


def full_form(ids, reflection, version, action):
    return {
        f"q-{ids['reflection']}": reflection,
        f"q-{ids['scale']}": "4",
        f"q-{ids['choice']}": "Grannar",
        f"q-{ids['timeline']}-period": ["1992", ""],
        f"q-{ids['timeline']}-event": ["Flytt till Kalmar", ""],
        "draft_version": str(version),
        "action": action,
    }


def stored(learner) -> WorksheetResponse:
    return WorksheetResponse.objects.get(user=learner)


# --- Step 1: autosave and hand-in apply the same limit ------------------------------------------


def test_autosave_of_a_too_long_answer_says_so_keeps_the_text_and_saves_the_rest(
    signed_in, learner, worksheet
):
    ids = ids_of(worksheet)
    response = autosave(signed_in, worksheet, {ids["reflection"]: TOO_LONG, ids["scale"]: "4"}, 0)

    assert response.status_code == 200
    data = response.json()
    warning = data["warnings"][ids["reflection"]]
    assert "högst 3 000 tecken (nu 3 500)" in warning
    assert "korta det innan du kan lämna in" in warning
    # Not "Sparat": the status line leads with the problem.
    assert not data["saved_label"].startswith("Sparat")
    assert data["saved_label"].startswith("För långt svar")
    assert data["errors"] == {}
    assert data["draft_version"] == 1
    # Nothing the learner typed is lost: the text is kept as a draft, the other answer too.
    saved = stored(learner)
    assert saved.answers[ids["reflection"]]["value"] == TOO_LONG
    assert saved.answers[ids["scale"]]["value"] == 4


def test_hand_in_refuses_the_too_long_answer_with_the_same_figures(signed_in, learner, worksheet):
    ids = ids_of(worksheet)
    autosave(signed_in, worksheet, {ids["reflection"]: TOO_LONG}, 0)

    response = signed_in.post(worksheet.url, full_form(ids, TOO_LONG, 1, "submit"))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Svaret får vara högst 3 000 tecken (nu 3 500)." in html
    assert textarea(html, ids["reflection"]) == TOO_LONG
    assert not WorksheetSubmission.objects.exists()


def test_the_page_shows_the_limit_and_says_when_a_saved_draft_is_too_long(signed_in, worksheet):
    ids = ids_of(worksheet)
    html = signed_in.get(worksheet.url).content.decode()
    assert "Högst 3 000 tecken." in html
    assert f'id="warn-{ids["reflection"]}"' not in html

    autosave(signed_in, worksheet, {ids["reflection"]: TOO_LONG}, 0)
    html = signed_in.get(worksheet.url).content.decode()

    assert f'<p class="field-warning" id="warn-{ids["reflection"]}">' in html
    assert "högst 3 000 tecken (nu 3 500)" in html
    field = re.search(rf'<textarea id="q-{ids["reflection"]}"[^>]*>', html).group(0)
    assert f"warn-{ids['reflection']}" in field and 'aria-invalid="true"' in field


def test_plain_form_draft_of_a_too_long_answer_is_kept_with_a_warning(
    signed_in, learner, worksheet
):
    ids = ids_of(worksheet)
    response = signed_in.post(worksheet.url, full_form(ids, TOO_LONG, 0, "save"), follow=True)

    assert response.redirect_chain[-1][1] == 302  # post/redirect/get
    html = response.content.decode()
    assert "Utkastet är sparat, men ett svar är för långt för att kunna lämnas in." in html
    assert "högst 3 000 tecken (nu 3 500)" in html
    assert stored(learner).answers[ids["reflection"]]["value"] == TOO_LONG


def test_autosave_refuses_what_cannot_be_stored_names_it_and_saves_the_rest(
    signed_in, learner, worksheet
):
    ids = ids_of(worksheet)
    response = autosave(
        signed_in, worksheet, {ids["reflection"]: "före\x00efter", ids["scale"]: "2"}, 0
    )

    assert response.status_code == 400
    data = response.json()
    assert "NUL" in data["errors"][ids["reflection"]]
    assert ids["scale"] not in data["errors"]
    assert data["draft_version"] == 1
    saved = stored(learner)
    assert ids["reflection"] not in saved.answers
    assert saved.answers[ids["scale"]]["value"] == 2


def test_line_breaks_from_the_plain_form_count_once_as_in_the_autosave(
    signed_in, learner, worksheet
):
    """A browser posts a textarea's line breaks as CR LF; the script reads them as LF."""
    ids = ids_of(worksheet)
    typed = ("a" * 290 + "\n") * 10  # 2,910 characters as the page's script counts them
    posted = typed.replace("\n", "\r\n")  # 2,920 as the browser posts them

    response = signed_in.post(worksheet.url, full_form(ids, posted, 0, "submit"))

    assert response.status_code == 302
    assert stored(learner).answers[ids["reflection"]]["value"] == typed
    html = signed_in.get(worksheet.url).content.decode()
    assert "för långt" not in html


# --- Step 2: a refused hand-in, a corrected draft, a reload -------------------------------------


def test_refused_hand_in_then_corrected_draft_then_reload_shows_the_correction(
    signed_in, learner, worksheet
):
    ids = ids_of(worksheet)
    html = signed_in.get(worksheet.url).content.decode()
    assert form_version(html) == 0
    # 1. Too long: autosave keeps it as a draft and says so.
    assert autosave(signed_in, worksheet, {ids["reflection"]: TOO_LONG}, 0).status_code == 200
    # The hand-in is refused; the page answering it carries the draft's version.
    refused_form = full_form(ids, TOO_LONG, 1, "submit")
    refused = signed_in.post(worksheet.url, refused_form)
    assert refused.status_code == 400
    after_refusal = form_version(refused.content.decode())
    # 2. The learner shortens the answer; autosave stores it, on the version of that page.
    corrected = autosave(signed_in, worksheet, {ids["reflection"]: CORRECTED}, after_refusal)
    assert corrected.status_code == 200
    assert corrected.json()["saved_label"].startswith("Sparat kl. ")
    # The reload: the browser sends the refused form again. It is older than the correction.
    reload = signed_in.post(worksheet.url, refused_form)

    assert reload.status_code == 409
    html = reload.content.decode()
    assert "Inte sparat: dina svar har ändrats efter det här formuläret" in html
    # The page is built from the saved draft: the correction is in the field...
    assert textarea(html, ids["reflection"]) == CORRECTED
    assert form_version(html) == corrected.json()["draft_version"]
    # ...and what the old form sent is shown beside it, marked as not saved.
    assert f'id="unsaved-{ids["reflection"]}"' in html
    assert TOO_LONG in html
    saved = stored(learner)
    assert saved.answers[ids["reflection"]]["value"] == CORRECTED
    assert saved.status == WorksheetResponse.Status.DRAFT
    assert not WorksheetSubmission.objects.exists()
    # And a plain visit afterwards shows the correction as well.
    assert textarea(signed_in.get(worksheet.url).content.decode(), ids["reflection"]) == CORRECTED


def test_the_corrected_draft_can_then_be_handed_in(signed_in, learner, worksheet):
    ids = ids_of(worksheet)
    autosave(signed_in, worksheet, {ids["reflection"]: TOO_LONG}, 0)
    signed_in.post(worksheet.url, full_form(ids, TOO_LONG, 1, "submit"))
    version = autosave(signed_in, worksheet, {ids["reflection"]: CORRECTED}, 1).json()[
        "draft_version"
    ]

    response = signed_in.post(worksheet.url, full_form(ids, CORRECTED, version, "submit"))

    assert response.status_code == 302
    (submission,) = WorksheetSubmission.objects.all()
    assert submission.answers[ids["reflection"]]["value"] == CORRECTED


def test_a_page_answering_a_post_asks_its_script_to_make_the_entry_a_plain_visit(
    signed_in, worksheet
):
    ids = ids_of(worksheet)
    refused = signed_in.post(worksheet.url, full_form(ids, "", 0, "submit")).content.decode()
    assert 'data-posted="1"' in refused
    assert 'data-posted="1"' not in signed_in.get(worksheet.url).content.decode()


def test_a_learners_worksheet_page_is_never_taken_from_a_cache(client, signed_in, worksheet):
    """The back button then asks the server again instead of showing an older page."""
    ids = ids_of(worksheet)
    for response in (
        signed_in.get(worksheet.url),
        signed_in.post(worksheet.url, full_form(ids, "", 0, "submit")),
    ):
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
    client.logout()
    assert "no-store" not in client.get(worksheet.url).get("Cache-Control", "")


# --- The draft version ----------------------------------------------------------------------------


def test_each_stored_change_raises_the_draft_version_and_an_unchanged_save_does_not(
    signed_in, learner, worksheet
):
    ids = ids_of(worksheet)
    assert (
        autosave(signed_in, worksheet, {ids["reflection"]: "Ett"}, 0).json()["draft_version"] == 1
    )
    assert (
        autosave(signed_in, worksheet, {ids["reflection"]: "Ett"}, 1).json()["draft_version"] == 1
    )
    assert autosave(signed_in, worksheet, {ids["scale"]: "3"}, 1).json()["draft_version"] == 2
    assert stored(learner).draft_version == 2
    assert form_version(signed_in.get(worksheet.url).content.decode()) == 2


def test_stale_autosave_is_refused_with_the_newer_text(signed_in, learner, worksheet):
    ids = ids_of(worksheet)
    autosave(signed_in, worksheet, {ids["reflection"]: "Nyare text", ids["scale"]: "5"}, 0)

    response = autosave(signed_in, worksheet, {ids["reflection"]: "Äldre text"}, 0)

    assert response.status_code == 409
    data = response.json()
    assert data["conflict"] is True
    assert data["draft_version"] == 1
    assert data["answers"][ids["reflection"]] == "Nyare text"
    assert data["answers"][ids["scale"]] == 5
    assert "annan flik" in data["error"]
    saved = stored(learner)
    assert saved.answers[ids["reflection"]]["value"] == "Nyare text"
    assert saved.draft_version == 1


def test_two_tabs_the_older_one_saving_last_does_not_win(learner, worksheet):
    ids = ids_of(worksheet)
    first, second = Client(), Client()
    for tab in (first, second):
        tab.force_login(learner)
    # Both tabs open the worksheet at the same draft version.
    opened = [form_version(tab.get(worksheet.url).content.decode()) for tab in (first, second)]
    assert opened == [0, 0]
    # The first tab saves; the second, older one saves last.
    assert autosave(first, worksheet, {ids["reflection"]: "Från flik ett"}, 0).status_code == 200
    late = autosave(second, worksheet, {ids["reflection"]: "Från flik två"}, 0)

    assert late.status_code == 409
    assert late.json()["answers"][ids["reflection"]] == "Från flik ett"
    # Its plain form, "Spara utkast" or "Lämna in", is refused the same way.
    for action in ("save", "submit"):
        page = second.post(worksheet.url, full_form(ids, "Från flik två", 0, action))
        assert page.status_code == 409
        html = page.content.decode()
        assert textarea(html, ids["reflection"]) == "Från flik ett"
        assert "Från flik två" in html  # shown as not saved, for the learner to copy
    assert stored(learner).answers[ids["reflection"]]["value"] == "Från flik ett"
    assert not WorksheetSubmission.objects.exists()
    # Choosing to keep the second tab's text is a save on the version the 409 named.
    kept = autosave(second, worksheet, {ids["reflection"]: "Från flik två"}, 1)
    assert kept.status_code == 200
    assert stored(learner).answers[ids["reflection"]]["value"] == "Från flik två"
    # Now the first tab is the older one, and it is refused in turn.
    assert autosave(first, worksheet, {ids["reflection"]: "Ett igen"}, 1).status_code == 409


def test_a_save_without_a_draft_version_is_stored_as_before(signed_in, learner, worksheet):
    """Scripts and pages from before the version existed: the last save is stored."""
    ids = ids_of(worksheet)
    autosave(signed_in, worksheet, {ids["reflection"]: "Ett"})
    assert autosave(signed_in, worksheet, {ids["reflection"]: "Två"}).status_code == 200
    form = full_form(ids, "Tre", 0, "save")
    del form["draft_version"]
    assert signed_in.post(worksheet.url, form).status_code == 302
    assert stored(learner).answers[ids["reflection"]]["value"] == "Tre"


@pytest.mark.parametrize("version", ["1", True, -1, 1.5, [1]])
def test_an_unreadable_draft_version_is_a_clear_400(signed_in, learner, worksheet, version):
    ids = ids_of(worksheet)
    response = signed_in.post(
        worksheet.url + "spara/",
        json.dumps({"answers": {ids["reflection"]: "x"}, "draft_version": version}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "kunde inte läsas" in response.json()["error"]
    assert not WorksheetResponse.objects.filter(user=learner).exists()


def test_save_draft_refuses_an_older_version_and_stores_nothing(learner, worksheet):
    ids = ids_of(worksheet)
    save_draft(learner, worksheet, {ids["reflection"]: "Nyare"}, based_on=0)

    with pytest.raises(StaleDraft) as refused:
        save_draft(learner, worksheet, {ids["reflection"]: "Äldre", ids["scale"]: "3"}, 0)

    assert refused.value.response.draft_version == 1
    assert refused.value.unsaved == {ids["reflection"]: "Äldre", ids["scale"]: 3}
    assert stored(learner).answers[ids["reflection"]]["value"] == "Nyare"
    assert ids["scale"] not in stored(learner).answers


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: PostgreSQL (SQLite locks the database)"
)
# Committed data, seen by the threads' own connections; restored afterwards like the browser tests.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_saves_from_the_same_version_at_once_store_exactly_one(learner, worksheet):
    ids = ids_of(worksheet)
    save_draft(learner, worksheet, {}, based_on=0)  # the row exists, at version 0
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def tab(text: str) -> None:
        start.wait()
        try:
            save_draft(learner, worksheet, {ids["reflection"]: text}, based_on=0)
            outcomes.append(f"stored {text}")
        except StaleDraft:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=tab, args=(t,)) for t in ("ett", "två")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes)[0] == "refused" and len(outcomes) == 2
    winner = next(o for o in outcomes if o.startswith("stored")).removeprefix("stored ")
    saved = stored(learner)
    assert saved.answers[ids["reflection"]]["value"] == winner
    assert saved.draft_version == 1
