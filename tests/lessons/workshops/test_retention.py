"""Culling workshop attendance by the retention decision keeps the report's numbers: each
culled attendance becomes an anonymous count, as erasure does, and the seat itself goes."""

from datetime import timedelta

from django.utils import timezone

from kompetensverkstad.accounts.models import Municipality, Profile
from kompetensverkstad.privacy.retention.culling import cull
from kompetensverkstad.privacy.retention.models import RetentionSettings
from lessons.reports.queries import ReportFilter, completion_rows
from lessons.workshops.models import AnonymousAttendance, SessionParticipant
from tests import factories


def _attended(rows) -> dict[str, int]:
    return {row.group_label: row.attended for row in rows}


def test_culled_attendance_stays_in_the_report_as_a_count(trainer, learner, workshop_module):
    kalmar = Municipality.objects.create(name="Kalmar", county="kalmar")
    Profile.objects.create(user=learner, municipality=kalmar, job_title="Handläggare")
    days = RetentionSettings.load().workshop_attendance_days
    now = timezone.now()
    ended = now - days * timedelta(days=1)
    session = factories.make_session(
        trainer, module=workshop_module, starts_at=ended - timedelta(hours=3), ends_at=ended
    )
    SessionParticipant.objects.create(
        session=session, user=learner, attended=True, attended_at=ended, shares_answers=True
    )
    spec = ReportFilter(municipality_ids=(kalmar.pk,), module_ids=(workshop_module.pk,))
    before = _attended(completion_rows(spec))
    assert before == {"Kalmar": 1}

    cull(now=now)

    assert not SessionParticipant.objects.exists()
    anonymous = AnonymousAttendance.objects.get()
    assert (anonymous.municipality, anonymous.job_title) == (kalmar, "Handläggare")
    assert _attended(completion_rows(spec)) == before
