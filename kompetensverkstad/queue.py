"""Enqueue Celery tasks after commit without ever failing the user's request."""

import logging

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
