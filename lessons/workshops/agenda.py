"""A session's agenda: the material in order with clock times, for the facilitator view and the
session pack's guide alike, so the screen and the paper always agree."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from wagtail.models import Page

from ..pages.lectures import LectureChapter, LecturePage
from ..pages.modules import ModuleStep
from .models import WorkshopSession


@dataclass
class Stage:
    title: str
    minutes: int
    description: str
    starts: datetime
    ends: datetime


@dataclass
class AgendaItem:
    kind: str  # a ModuleStep.Kind value
    kind_label: str
    title: str
    description: str
    minutes: int
    starts: datetime
    ends: datetime
    page: object | None = None  # the specific page: WorksheetPage, LecturePage, …
    stages: list[Stage] = field(default_factory=list)
    questions: list[dict] = field(default_factory=list)  # {"prompt", "help_text", "type"}
    prompts: list[dict] = field(default_factory=list)  # {"text" (rich text), "minutes"}
    chapters: list = field(default_factory=list)  # LectureChapter rows

    @property
    def is_worksheet(self) -> bool:
        return self.kind == ModuleStep.Kind.WORKSHEET


def _worksheet_parts(page, item: AgendaItem) -> None:
    cursor = item.starts
    for block in page.stages:
        minutes = int(block.value["minutes"])
        item.stages.append(
            Stage(
                title=block.value["title"],
                minutes=minutes,
                description=block.value.get("description") or "",
                starts=cursor,
                ends=cursor + timedelta(minutes=minutes),
            )
        )
        cursor += timedelta(minutes=minutes)
    for block in page.questions:
        if getattr(block.block, "answerable", False):
            item.questions.append(
                {
                    "id": block.id,
                    "prompt": block.value["prompt"],
                    "help_text": block.value.get("help_text") or "",
                    "type": block.block_type,
                }
            )
        elif block.block_type == "discussion":
            item.prompts.append({"text": block.value["text"], "minutes": block.value["minutes"]})


def _worksheet_minutes(page, fallback: int) -> int:
    staged = sum(int(s.value["minutes"]) for s in page.stages)
    return staged or page.duration_minutes or fallback


def session_agenda(session: WorkshopSession) -> list[AgendaItem]:
    """The module's steps (or the one worksheet) with the clock time each begins and ends."""
    cursor = timezone.localtime(session.starts_at)
    items: list[AgendaItem] = []
    if session.worksheet_id:
        entries = [(ModuleStep.Kind.WORKSHEET, session.worksheet, None)]
    else:
        steps = list(session.module.steps.select_related("page").order_by("sort_order"))
        specific = {}
        page_ids = [s.page_id for s in steps if s.page_id]
        if page_ids:
            specific = {p.pk: p for p in Page.objects.filter(pk__in=page_ids).specific()}
        entries = [(s.kind, specific.get(s.page_id), s) for s in steps]
    lecture_ids = [p.pk for _kind, p, _s in entries if isinstance(p, LecturePage)]
    chapters: dict[int, list] = {}
    if lecture_ids:
        for chapter in LectureChapter.objects.filter(lecture_id__in=lecture_ids).order_by(
            "sort_order"
        ):
            chapters.setdefault(chapter.lecture_id, []).append(chapter)
    for kind, page, step in entries:
        if kind == ModuleStep.Kind.WORKSHEET and page is not None:
            minutes = _worksheet_minutes(page, step.estimated_minutes if step else 45)
        elif kind == ModuleStep.Kind.LECTURE and page is not None and page.duration_minutes:
            minutes = page.duration_minutes
        else:
            minutes = step.estimated_minutes if step else 0
        title = step.display_title if step else page.title
        item = AgendaItem(
            kind=kind,
            kind_label=ModuleStep.Kind(kind).label,
            title=title,
            description=(step.description if step else "") or getattr(page, "intro", "") or "",
            minutes=minutes,
            starts=cursor,
            ends=cursor + timedelta(minutes=minutes),
            page=page,
        )
        if kind == ModuleStep.Kind.WORKSHEET and page is not None:
            _worksheet_parts(page, item)
        if isinstance(page, LecturePage):
            item.chapters = chapters.get(page.pk, [])
        items.append(item)
        cursor = item.ends
    return items
