"""A session's group progress: on the page, and exported as CSV and XLSX.

Group progress is status only — not started, started, done per participant and step. Answers
are never part of it; they are shown separately, and only where a learner shares them.
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ..learning.models import StepProgress, StepState
from ..pages.modules import ModuleStep
from .models import SessionParticipant, WorkshopSession

NOT_STARTED = "not_started"


def state_labels() -> dict[str, str]:
    return {
        NOT_STARTED: _("Inte påbörjat"),
        StepState.STARTED: _("Påbörjat"),
        StepState.COMPLETED: _("Klart"),
    }


@dataclass
class StepShare:
    step: ModuleStep
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class ProgressRow:
    participant: SessionParticipant
    states: list[str]

    @property
    def done(self) -> int:
        return sum(state == StepState.COMPLETED for state in self.states)


@dataclass
class GroupProgress:
    session: WorkshopSession
    steps: list[ModuleStep]
    rows: list[ProgressRow]
    shares: list[StepShare] = field(default_factory=list)

    @property
    def labels(self) -> dict[str, str]:
        return state_labels()


def group_progress(session: WorkshopSession) -> GroupProgress:
    """Participants × the module's steps, in three queries whatever the group's size."""
    module = session.progress_module
    steps = list(module.steps.select_related("page").order_by("sort_order")) if module else []
    participants = list(
        session.participants.select_related("user").order_by(
            "user__last_name", "user__first_name", "user__username"
        )
    )
    states = {
        (p.user_id, p.step_id): p.state
        for p in StepProgress.objects.filter(
            step__in=steps, user_id__in=[p.user_id for p in participants]
        ).only("user_id", "step_id", "state")
    }
    rows = [
        ProgressRow(
            participant=p,
            states=[states.get((p.user_id, s.pk), NOT_STARTED) for s in steps],
        )
        for p in participants
    ]
    shares = [
        StepShare(
            step=s,
            done=sum(r.states[i] == StepState.COMPLETED for r in rows),
            total=len(rows),
        )
        for i, s in enumerate(steps)
    ]
    return GroupProgress(session=session, steps=steps, rows=rows, shares=shares)


def _cell(value: object) -> object:
    """Text a spreadsheet would run as a formula (=, +, -, @) is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_rows(progress: GroupProgress) -> list[list[object]]:
    """The table as rows: a header, one row per participant, then the share done per step."""
    labels = state_labels()
    header = [
        _("Deltagare"),
        _("Närvarade"),
        *[f"{i}. {s.display_title}" for i, s in enumerate(progress.steps, start=1)],
        _("Klara steg"),
    ]
    rows: list[list[object]] = [header]
    for row in progress.rows:
        rows.append(
            [
                row.participant.name,
                _("Ja") if row.participant.attended else _("Nej"),
                *[labels[state] for state in row.states],
                row.done,
            ]
        )
    rows.append([_("Andel klara"), "", *[f"{share.percent} %" for share in progress.shares], ""])
    return [[_cell(v) for v in r] for r in rows]


def progress_csv(progress: GroupProgress) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(export_rows(progress))
    # The byte order mark makes Excel read the file as UTF-8 (å, ä, ö).
    return buffer.getvalue().encode("utf-8-sig")


def progress_xlsx(progress: GroupProgress) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Framsteg")[:31]
    for row in export_rows(progress):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 30
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
