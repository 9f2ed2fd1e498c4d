"""The learning path listening to the layers below it."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models.signals import post_save

from kompetensverkstad.jobs.queue import enqueue_on_commit
from worksheets.signals import worksheet_submitted

from ..pages.modules import ModuleStep
from .models import LearningEvent
from .recording import record_step_completed
from .tasks import deliver_xapi_statements
from .xapi import enabled as xapi_enabled


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


def send_statement(sender, instance: LearningEvent, created: bool, **kwargs: object) -> None:
    """A new learning record goes to the LRS once its transaction is committed."""
    if created and xapi_enabled():
        enqueue_on_commit(deliver_xapi_statements)


def connect() -> None:
    post_save.connect(send_statement, sender=LearningEvent, dispatch_uid="learning-xapi-send")
    worksheet_submitted.connect(complete_worksheet_steps, dispatch_uid="learning-worksheet-steps")
