"""The learning path listening to the layers below it."""

from django.contrib.auth.models import AbstractBaseUser

from worksheets.signals import worksheet_submitted

from ..pages.modules import ModuleStep
from .models import LearningEvent
from .recording import record_step_completed


def complete_worksheet_steps(
    sender, user: AbstractBaseUser, page, submission, **kwargs: object
) -> None:
    """A handed-in worksheet completes every module step made of it (inside the hand-in's
    transaction, so the step and the submission are one)."""
    for step in ModuleStep.objects.filter(page_id=page.pk, kind=ModuleStep.Kind.WORKSHEET):
        record_step_completed(
            user,
            step,
            verb=LearningEvent.Verb.SUBMITTED,
            result={"version": submission.version},
        )


def connect() -> None:
    worksheet_submitted.connect(complete_worksheet_steps, dispatch_uid="learning-worksheet-steps")
