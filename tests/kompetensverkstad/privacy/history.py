"""A learner with something in every table the privacy rules cover: a profile, progress, events,
two submitted versions of a worksheet, a workshop participation with sharing on and attendance,
a completion with its certificate PDF, a worksheet PDF. Shared by the export and erasure tests."""

from datetime import timedelta

from django.utils import timezone

from kompetensverkstad.accounts.models import Municipality, Profile
from lessons.learning.models import ModuleCompletion
from lessons.learning.recording import record_step_completed
from lessons.workshops.attendance import set_attendance
from lessons.workshops.joining import join_session
from lessons.workshops.sharing import set_sharing
from tests.factories import make_session, steps_of
from worksheets.answering import submit


def workshop_session(module, trainer):
    return make_session(
        trainer, module=module, starts_at=timezone.now() - timedelta(days=2), capacity=20
    )


def build_history(user, module, session, marker: str, municipality: Municipality) -> None:
    """Call inside ``run_on_commit()`` so the completion and PDFs are made."""
    Profile.objects.update_or_create(
        user=user, defaults={"municipality": municipality, "job_title": "Handläggare"}
    )
    lecture, worksheet_step, _workshop = steps_of(module)
    record_step_completed(user, lecture)
    worksheet = worksheet_step.page.specific
    ids = {q.block_type: q.id for q in worksheet.questions}
    for n in (1, 2):
        _r, submission, cleaned = submit(
            user, worksheet, {ids["reflection"]: f"{marker} version {n}", ids["scale"]: str(n)}
        )
        assert submission is not None, cleaned.errors
    participant, _created = join_session(user, session)
    set_sharing(participant, True)
    present = set(session.participants.filter(attended=True).values_list("pk", flat=True))
    set_attendance(session, present | {participant.pk}, session.trainer)


def assert_completed(user) -> ModuleCompletion:
    completion = ModuleCompletion.objects.select_related("certificate").get(user=user)
    assert completion.certificate is not None and completion.certificate.is_ready
    return completion
