"""Enqueue Celery tasks after commit without ever failing the user's request, and the registry
of work waiting in the database that the periodic sweep enqueues again."""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def send_now(task: Task, *ids: int) -> bool:
    """Send ``task(*ids)`` to the broker; False (logged) when the broker cannot be reached.

    The caller's database row is the record of the work, so a failed send loses nothing:
    the periodic sweep finds the row and sends it again.
    """
    try:
        task.delay(*ids)
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning("Broker unreachable, %s(%s) left for the sweep: %s", task.name, ids, exc)
        return False
    return True


def enqueue_on_commit(task: Task, *ids: int) -> None:
    transaction.on_commit(lambda: send_now(task, *ids))


# --- Work waiting in the database, for the periodic sweep ---------------------------------------

# A finder returns the id tuples of rows that have waited since before the cutoff, at most
# ``limit`` of them; the sweep sends ``task(*ids)`` for each. Apps register theirs in ready().
WaitingFinder = Callable[[datetime, int], Iterable[tuple[int, ...]]]


@dataclass(frozen=True)
class PendingWork:
    name: str
    task: Task
    waiting: WaitingFinder


_PENDING: dict[str, PendingWork] = {}


def register_pending(name: str, task: Task, waiting: WaitingFinder) -> None:
    """Let the sweep find ``name`` work left waiting (the broker lost it, or was away)."""
    _PENDING[name] = PendingWork(name, task, waiting)


def pending_work() -> list[PendingWork]:
    return list(_PENDING.values())
