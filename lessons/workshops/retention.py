"""Workshops and the learner's data: the retention kind for attendance (a participant's seat,
attendance mark and sharing choice, counted from the end of the session) and the kind of access
logged when a trainer opens a participant's shared answers.

Culled attendance is folded into ``AnonymousAttendance`` first, as erasure does, so the
completion report's "attended" counts stay what they were: one anonymous row per learner and
module of the batch (their first attendance), with the municipality and job title and no link
to the person. (A learner who attended the same module's workshop twice, years apart, may then
be counted twice in a report period spanning both; the report otherwise counts people once.)
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kompetensverkstad.privacy.access import register_access_kind
from kompetensverkstad.privacy.retention.kinds import RetentionKind, register

from .models import AnonymousAttendance, SessionParticipant

SHARED_ANSWERS = "shared_answers"


def cull_participations(batch: QuerySet) -> int:
    firsts: dict[tuple[int, int], tuple] = {}
    for user_id, module_id, attended_at, municipality_id, job_title in (
        batch.filter(attended=True, session__module__isnull=False, attended_at__isnull=False)
        .order_by("attended_at")
        .values_list(
            "user_id",
            "session__module_id",
            "attended_at",
            "user__profile__municipality_id",
            "user__profile__job_title",
        )
    ):
        firsts.setdefault((user_id, module_id), (attended_at, municipality_id, job_title))
    AnonymousAttendance.objects.bulk_create(
        [
            AnonymousAttendance(
                module_id=module_id,
                municipality_id=municipality_id,
                job_title=job_title or "",
                attended_at=attended_at,
            )
            for (_user_id, module_id), (attended_at, municipality_id, job_title) in firsts.items()
        ]
    )
    _total, per_model = batch.delete()
    return per_model.get(SessionParticipant._meta.label, 0)


def register_kinds() -> None:
    register(
        RetentionKind(
            name="workshop_attendance",
            label=_("Deltagande i workshoppar"),
            queryset=SessionParticipant.objects.all,
            date_field="session__ends_at",
            delete=cull_participations,
            batch_size=1000,
            counted_from=_("workshoppens slut"),
        )
    )
    register_access_kind(SHARED_ANSWERS, _("Delade svar i en workshop"))
