"""Join codes: six characters without look-alikes, unique among open sessions, any case."""

import pytest
from django.db import IntegrityError, transaction

from lessons.learning.models import CODE_ALPHABET
from lessons.workshops import models as workshops
from lessons.workshops.joining import find_by_code
from lessons.workshops.models import WorkshopSession, normalise_join_code
from tests.factories import make_session


def test_code_has_six_characters_from_the_alphabet_without_look_alikes(trainer, workshop_module):
    codes = {make_session(trainer, module=workshop_module).join_code for _ in range(30)}

    assert all(len(code) == 6 for code in codes)
    assert all(set(code) <= set(CODE_ALPHABET) for code in codes)
    for look_alike in "01OIL":
        assert look_alike not in CODE_ALPHABET
    assert len(codes) == 30


def test_two_open_sessions_cannot_share_a_code(trainer, workshop_module, session):
    other = make_session(trainer, module=workshop_module)

    with pytest.raises(IntegrityError), transaction.atomic():
        WorkshopSession.objects.filter(pk=other.pk).update(join_code=session.join_code)


def test_a_cancelled_sessions_code_can_be_reused(trainer, workshop_module, session):
    session.status = WorkshopSession.Status.CANCELLED
    session.save()
    other = make_session(trainer, module=workshop_module)

    WorkshopSession.objects.filter(pk=other.pk).update(join_code=session.join_code)

    other.refresh_from_db()
    assert other.join_code == session.join_code
    # The open one is found by the code, not the cancelled one.
    assert find_by_code(session.join_code) == other


def test_a_code_taken_by_an_open_session_is_drawn_again(
    trainer, workshop_module, session, monkeypatch
):
    drawn = iter([session.join_code, session.join_code, "K7M4QX"])
    monkeypatch.setattr(workshops, "new_join_code", lambda: next(drawn))

    other = make_session(trainer, module=workshop_module)

    assert other.join_code == "K7M4QX"


def test_code_is_stored_upper_case_and_found_in_any_case(session):
    assert session.join_code == session.join_code.upper()
    typed = " " + session.join_code.lower()[:3] + " " + session.join_code.lower()[3:] + " "

    assert normalise_join_code(typed) == session.join_code
    assert find_by_code(typed) == session
    assert find_by_code("ZZZZZ") is None  # wrong length
    assert find_by_code("O0O0O0") is None  # not in the alphabet


def test_a_session_is_about_a_module_or_a_worksheet_never_both_nor_neither(
    trainer, workshop_module, worksheet
):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_session(trainer, module=workshop_module, worksheet=worksheet)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_session(trainer)
    assert make_session(trainer, worksheet=worksheet).progress_module == workshop_module
