"""Erasure ("radera mitt konto"): one transaction that deletes or anonymises everything the
registry lists for a person, and a row naming the private files still to delete.

The files are deleted after commit; if the process dies before that, the sweep finds the row
(``FileDeletion``) and finishes the work (``tasks.delete_erased_files``).
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kompetensverkstad.jobs.queue import enqueue_on_commit

from .models import ErasureRequest, FileDeletion
from .registry import Erasure, rows_of, rules

logger = logging.getLogger(__name__)


class ErasureRefused(Exception):
    """Erasure must wait: the message (Swedish, for the administrator) says what to do first."""


def erase_user(user: AbstractBaseUser, *, reason: str, by: AbstractBaseUser | None = None) -> bool:
    """Erase ``user`` and everything registered about them in one transaction.

    ``reason`` (never a name: "the learner's request", "inactive account") is kept on the
    erasure's record, with ``by`` (the administrator who carried it out; ``None`` for the learner
    themselves or a scheduled task). The private files the rows held are listed in a
    ``FileDeletion`` row in the same transaction and deleted after commit; the sweep finishes
    them after a crash. Raises ``ErasureRefused`` (nothing changed) when a rule says it must
    wait, e.g. a trainer who still leads workshop sessions. Returns False (and does nothing) for
    a user already erased.
    """
    user_model = get_user_model()
    with transaction.atomic():
        # The lock makes two erasures of one person (an administrator's and the learner's own,
        # or a retention run) take turns; the second finds nobody.
        locked = user_model._default_manager.select_for_update().filter(pk=user.pk).first()
        if locked is None:
            return False
        reasons = [msg for rule in rules() if rule.blocks and (msg := rule.blocks(locked))]
        if reasons:
            raise ErasureRefused(" ".join(str(m) for m in reasons))
        files: set[tuple[str, str]] = set()
        for rule in rules():
            if rule.files is not None:
                files.update(rule.files(locked))
        for rule in rules():
            if rule.erase == Erasure.ANONYMISE:
                rule.anonymise(locked)
            if rule.erase in (Erasure.DELETE, Erasure.ANONYMISE):
                rows_of(rule, locked).delete()
        now = timezone.now()
        by_id = by.pk if by is not None and by.pk != locked.pk else None
        done = ErasureRequest.objects.filter(
            user=locked, state=ErasureRequest.State.REQUESTED
        ).update(state=ErasureRequest.State.DONE, carried_out_at=now, carried_out_by_id=by_id)
        if not done:
            ErasureRequest.objects.create(
                user=locked,
                state=ErasureRequest.State.DONE,
                carried_out_at=now,
                carried_out_by_id=by_id,
                reason=reason[:200],
            )
        else:
            ErasureRequest.objects.filter(user=locked, state=ErasureRequest.State.DONE).update(
                reason=reason[:200]
            )
        # What is left (the account itself and rows that go with it) goes by the database's own
        # rules: CASCADE for rows registered as CASCADE, SET_NULL for authorship (KEEP), and
        # the erasure's record keeps no link (SET_NULL).
        locked.delete()
        if files:
            deletion = FileDeletion.objects.create(names=sorted([list(f) for f in files]))
            from .tasks import delete_erased_files

            enqueue_on_commit(delete_erased_files, deletion.pk)
    logger.info("Erased an account (%s)", reason)
    return True
