"""What the workshops hold of a person, for the export and erasure
(``kompetensverkstad.privacy``).

A participation (with its sharing choice) is deleted after its attendance is folded into an
``AnonymousAttendance`` (one per module, the first) for the report. A trainer who still leads
sessions cannot be erased until an administrator has handed them over or deleted them: deleting
them with the account would take the participants' attendance with it.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kompetensverkstad.accounts.models import report_group
from kompetensverkstad.privacy.registry import DataRule, Erasure, iso, register

from .models import AnonymousAttendance, SessionParticipant, WorkshopSession


def export_participations(user: AbstractBaseUser) -> list[dict]:
    rows = SessionParticipant.objects.filter(user=user).select_related("session").order_by("pk")
    return [
        {
            "session": p.session.title,
            "starts_at": iso(p.session.starts_at),
            "place": p.session.place,
            "joined_at": iso(p.joined_at),
            "attended": p.attended,
            "attended_at": iso(p.attended_at),
            "shares_answers": p.shares_answers,
            "shares_changed_at": iso(p.shares_changed_at),
        }
        for p in rows
    ]


def export_sessions_led(user: AbstractBaseUser) -> list[dict]:
    return [
        {"title": s.title, "starts_at": iso(s.starts_at), "place": s.place, "status": s.status}
        for s in WorkshopSession.objects.filter(trainer=user).order_by("starts_at")
    ]


def fold_attendance(user: AbstractBaseUser) -> None:
    group = report_group(user)
    firsts = {}
    for module_id, attended_at in (
        SessionParticipant.objects.filter(
            user=user, attended=True, session__module__isnull=False, attended_at__isnull=False
        )
        .order_by("attended_at")
        .values_list("session__module_id", "attended_at")
    ):
        firsts.setdefault(module_id, attended_at)
    AnonymousAttendance.objects.bulk_create(
        [
            AnonymousAttendance(
                module_id=module_id,
                **group,
                attended_at=attended_at,
            )
            for module_id, attended_at in firsts.items()
        ]
    )


def sessions_to_hand_over(user: AbstractBaseUser) -> str | None:
    count = WorkshopSession.objects.filter(trainer=user).count()
    if not count:
        return None
    return gettext(
        "Personen leder %(count)s workshoppar. Ge dem en annan utbildare eller radera dem först."
    ) % {"count": count}


def register_rules() -> None:
    register(
        DataRule(
            SessionParticipant,
            Erasure.ANONYMISE,
            section="workshop_participations",
            title=_("Deltagande i workshoppar"),
            export=export_participations,
            anonymise=fold_attendance,
            why="Attendance folded into AnonymousAttendance; participation and sharing deleted.",
            order=10,
        )
    )
    register(
        DataRule(
            WorkshopSession,
            Erasure.DELETE,
            user_field="trainer",
            section="workshops_led",
            title=_("Workshoppar som du leder"),
            export=export_sessions_led,
            blocks=sessions_to_hand_over,
            why="Erasure waits until the trainer's sessions are handed over or deleted.",
        )
    )
