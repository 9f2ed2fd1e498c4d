"""Learning records as xAPI 1.0.3 statements, and their delivery to an LRS through an outbox.

Every ``LearningEvent`` is a statement: its ``statement_id`` is fixed when the event is written,
so each attempt sends the same id (an LRS stores an id once; resending it is harmless). The
actor is an account on the platform's homepage named by a keyed hash of the user id, never the
e-mail. Delivery is on when ``XAPI_LRS_URL`` is set: a task posts unsent events in batches and
marks them sent only once the LRS answered 200/204; the sweep sends again what is left.
"""

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.request
from datetime import UTC

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kompetensverkstad.links import absolute_url

from ..pages.modules import ModulePage, ModuleStep
from .models import LearningEvent
from .navigation import absolute_page_url

XAPI_VERSION = "1.0.3"
# ADL verbs (http://adlnet.gov/expapi/verbs/…) for what the platform records.
VERBS = {
    "launched": "http://adlnet.gov/expapi/verbs/launched",
    "watched": "http://adlnet.gov/expapi/verbs/experienced",
    "read": "http://adlnet.gov/expapi/verbs/experienced",
    "submitted": "http://adlnet.gov/expapi/verbs/answered",
    "attended": "http://adlnet.gov/expapi/verbs/attended",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
}
VERB_DISPLAY = {
    "launched": "påbörjade",
    "watched": "såg",
    "read": "läste",
    "submitted": "lämnade in",
    "attended": "deltog i",
    "completed": "slutförde",
}
ACTIVITY_TYPES = {
    "module": "http://adlnet.gov/expapi/activities/module",
    ModuleStep.Kind.LECTURE: "http://adlnet.gov/expapi/activities/media",
    ModuleStep.Kind.WORKSHEET: "http://adlnet.gov/expapi/activities/assessment",
    ModuleStep.Kind.ARTICLE: "http://adlnet.gov/expapi/activities/lesson",
    ModuleStep.Kind.WORKSHOP: "http://adlnet.gov/expapi/activities/meeting",
}
XAPI_BATCH = 100


def enabled() -> bool:
    return bool(getattr(settings, "XAPI_LRS_URL", ""))


def homepage() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/"


def pseudonym(user_id: int) -> str:
    """A stable name for the user that does not reveal who they are (keyed by the setting)."""
    key = (getattr(settings, "XAPI_ACTOR_KEY", "") or settings.SECRET_KEY).encode()
    return hmac.new(key, f"user:{user_id}".encode(), hashlib.sha256).hexdigest()[:32]


def _activity(activity_id: str, kind: str, title: str) -> dict:
    return {
        "objectType": "Activity",
        "id": activity_id,
        "definition": {"type": ACTIVITY_TYPES[kind], "name": {"sv-SE": title or activity_id}},
    }


def _module_activity(module: ModulePage) -> dict:
    return _activity(absolute_page_url(module), "module", module.title)


def _step_activity(step: ModuleStep) -> dict:
    if step.page_id:
        url = absolute_page_url(step.page)
    else:  # a workshop step has no page of its own: its place in the module
        url = f"{absolute_page_url(step.module)}#steg-{step.pk}"
    return _activity(url, step.kind, step.display_title)


def statement(event: LearningEvent, cache: dict | None = None) -> dict:
    """The xAPI 1.0.3 statement of ``event``."""
    cache = cache if cache is not None else {}
    if event.object_type == "module":
        module = _cached(cache, ModulePage, event.object_id)
        obj = _module_activity(module) if module else _missing(event)
        parent = None
    else:
        step = _cached(cache, ModuleStep, event.object_id)
        obj = _step_activity(step) if step else _missing(event)
        parent = _module_activity(step.module) if step else None
    verb = str(event.verb)
    result: dict = {}
    if verb in {"completed", "submitted", "watched", "read", "attended"}:
        result["completion"] = True
    if "watched_seconds" in event.result:
        result["duration"] = f"PT{int(event.result['watched_seconds'])}S"
    context: dict = {"platform": settings.WAGTAIL_SITE_NAME, "language": "sv-SE"}
    if parent:
        context["contextActivities"] = {"parent": [parent]}
    data = {
        "id": str(event.statement_id),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": homepage(), "name": pseudonym(event.actor_id)},
        },
        "verb": {"id": VERBS[verb], "display": {"sv-SE": VERB_DISPLAY[verb]}},
        "object": obj,
        "context": context,
        "timestamp": event.timestamp.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "version": XAPI_VERSION,
    }
    if result:
        data["result"] = result
    return data


def _cached(cache: dict, model, pk: int):
    key = (model, pk)
    if key not in cache:
        qs = model.objects.filter(pk=pk)
        if model is ModuleStep:
            qs = qs.select_related("page", "module")
        cache[key] = qs.first()
    return cache[key]


def _missing(event: LearningEvent) -> dict:
    url = absolute_url(f"/xapi/{event.object_type}/{event.object_id}")
    return {"objectType": "Activity", "id": url}


class LRSUnavailable(ConnectionError):
    """The LRS did not store the batch (unreachable, 5xx, refused): try again later."""


def post_statements(statements: list[dict]) -> None:
    """POST a batch to ``XAPI_LRS_URL``; raise ``LRSUnavailable`` unless it answered 200/204."""
    url = settings.XAPI_LRS_URL.rstrip("/") + "/statements"
    request = urllib.request.Request(  # noqa: S310 (the URL is the administrator's setting)
        url,
        data=json.dumps(statements).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Experience-API-Version": XAPI_VERSION},
    )
    user = getattr(settings, "XAPI_LRS_USERNAME", "")
    if user:
        token = f"{user}:{getattr(settings, 'XAPI_LRS_PASSWORD', '')}".encode()
        request.add_header("Authorization", "Basic " + base64.b64encode(token).decode())
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        raise LRSUnavailable(f"LRS answered {exc.code}: {exc.read()[:300]!r}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise LRSUnavailable(f"LRS unreachable: {exc}") from exc
    if status not in (200, 204):
        raise LRSUnavailable(f"LRS answered {status}")


def deliver_batch(limit: int = XAPI_BATCH) -> int:
    """Send up to ``limit`` unsent statements, oldest first; returns how many were stored.

    The rows are locked while they are sent (skipped by a concurrent run on PostgreSQL), and
    ``sent_at`` is written in the same transaction only after the LRS answered.
    """
    if not enabled():
        return 0
    with transaction.atomic():
        events = list(
            LearningEvent.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True)
            .order_by("timestamp", "pk")[:limit]
        )
        if not events:
            return 0
        cache: dict = {}
        post_statements([statement(e, cache) for e in events])
        LearningEvent.objects.filter(pk__in=[e.pk for e in events]).update(sent_at=timezone.now())
    return len(events)


def deliver_all(max_batches: int = 50) -> int:
    sent = 0
    for _ in range(max_batches):
        count = deliver_batch()
        sent += count
        if count < XAPI_BATCH:
            break
    return sent
