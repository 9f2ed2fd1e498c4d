"""The app's models, each defined in the module named for what it holds and imported here so
that Django registers them with this app."""

from .learning.models import (
    AnonymousCompletion,
    CompletionCheck,
    LearningEvent,
    ModuleCompletion,
    ReminderSent,
    StepProgress,
    StepState,
)
from .pages.articles import LessonsLearnedPage
from .pages.lectures import LectureChapter, LecturePage, LectureWorkMaterial
from .pages.modules import FeaturedModule, ModulePage, ModuleStep
from .pages.projects import ProgrammeArea, ProjectIndexPage, ProjectPage, ProjectPageTag, Region
from .workshops.models import AnonymousAttendance, SessionParticipant, WorkshopSession

__all__ = [
    "AnonymousAttendance",
    "AnonymousCompletion",
    "CompletionCheck",
    "FeaturedModule",
    "LearningEvent",
    "LectureChapter",
    "LecturePage",
    "LectureWorkMaterial",
    "LessonsLearnedPage",
    "ModuleCompletion",
    "ModulePage",
    "ModuleStep",
    "ReminderSent",
    "ProgrammeArea",
    "ProjectIndexPage",
    "ProjectPage",
    "ProjectPageTag",
    "Region",
    "SessionParticipant",
    "StepProgress",
    "StepState",
    "WorkshopSession",
]
