"""factory_boy factories for every page type, snippet, image and media file the site uses.

Page factories take ``parent=`` (a saved page) and add the new page under it, as Wagtail's
editor does. Content is invented; contact details use example.org. Below the factories, the
builders of whole things the tests share: the site (``make_site``), modules with steps of every
kind (``build_module``, also used by scripts/bench.py), a module with a workshop step
(``build_workshop_module``) and a workshop session (``make_session``).
"""

import datetime
import uuid
from datetime import timedelta
from pathlib import Path

import factory
import wagtail_factories
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory
from wagtail.models import Collection, Page, Site
from wagtailmedia.models import Media

from kompetensverkstad.models import ContactPerson, HomePage, Partner, SiteImage, StandardPage
from lessons.models import (
    FeaturedModule,
    LectureChapter,
    LecturePage,
    LectureWorkMaterial,
    LessonsLearnedPage,
    ModulePage,
    ModuleStep,
    ProgrammeArea,
    ProjectIndexPage,
    ProjectPage,
    Region,
)
from lessons.workshops.models import WorkshopSession
from worksheets.models import WorksheetPage

DEMO_VIDEO = Path(settings.BASE_DIR) / "kompetensverkstad" / "demo_assets" / "iko-forelasning.webm"

CAPTIONS = """WEBVTT

00:00:00.000 --> 00:00:04.000
Välkomna till föreläsningen om att bli fler.

00:00:04.000 --> 00:00:09.000
Vi börjar med hur kommunen tar emot nya invånare.
"""


def root_collection() -> Collection:
    return Collection.get_first_root_node()


def rich(text: str) -> str:
    return f"<p>{text}</p>"


def block(block_type: str, value) -> dict:
    """One raw StreamField block with a stable id, as Wagtail stores it."""
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


# Every factory-made user signs in with this password.
PASSWORD = "testlosen-123"


# --- Users ---------------------------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Kim"
    last_name = "Exempelsson"
    password = factory.django.Password(PASSWORD)

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(self, create: bool, extracted, **kwargs) -> None:
        """``UserFactory(groups=["Editors"])`` puts the user in Wagtail's default groups."""
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


# --- Images, media, snippets ---------------------------------------------------------------


class SiteImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Bild {n}")
    description = "Två kollegor samtalar vid ett bord med papper och pennor."
    collection = factory.LazyFunction(root_collection)
    file = factory.django.ImageField(width=320, height=200, color="#1f5f4a")

    class Meta:
        model = SiteImage


class MediaFactory(DjangoModelFactory):
    """A video in wagtailmedia; the file is a few bytes unless ``file`` is given."""

    title = factory.Sequence(lambda n: f"Film {n}")
    type = "video"
    duration = 60
    collection = factory.LazyFunction(root_collection)
    file = factory.django.FileField(filename="forelasning.webm", data=b"\x1aE\xdf\xa3test")

    class Meta:
        model = Media


class PartnerFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Samverkanspart {n}")
    url = factory.Sequence(lambda n: f"https://partner{n}.example.org/")
    logo = None

    class Meta:
        model = Partner


class ContactPersonFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Alex Exempel {n}")
    role = "Projektledare"
    organisation = "Exempelkommunen"
    email = factory.Sequence(lambda n: f"kontakt{n}@example.org")

    class Meta:
        model = ContactPerson


# --- Pages ---------------------------------------------------------------------------------


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Kompetensverkstaden"
    slug = "start"
    intro = rich("Material för interkulturell kompetens i kommuner och regioner.")

    class Meta:
        model = HomePage


class FeaturedModuleFactory(DjangoModelFactory):
    home = None
    page = None
    sort_order = factory.Sequence(int)

    class Meta:
        model = FeaturedModule


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Om webbplatsen {n}")
    intro = "Så fungerar Kompetensverkstaden."
    body = factory.LazyFunction(lambda: [block("paragraph", rich("Tillgänglighet är viktigt."))])

    class Meta:
        model = StandardPage


class ModulePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Vi blir fler {n}")
    intro = "En modul om mottagande och inkludering i kommunen."
    audience = "Medarbetare i kommuner och regioner"
    outcomes = rich("Reflektera över ditt eget bemötande.")

    class Meta:
        model = ModulePage


class LecturePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Föreläsning om att bli fler {n}")
    intro = "En föreläsning om vad kommunen har lärt sig av mottagandet."
    captions = CAPTIONS
    transcript = rich("Välkomna till föreläsningen om att bli fler.")
    speaker = "Robin Exempel"
    speaker_role = "Utvecklingsledare"
    duration_minutes = 1
    recorded = "Mars 2019, Västervik"

    class Meta:
        model = LecturePage


class LectureChapterFactory(DjangoModelFactory):
    lecture = None
    start = factory.Sequence(lambda n: f"{n // 60:02d}:{n % 60:02d}")
    title = factory.Sequence(lambda n: f"Kapitel {n}")
    sort_order = factory.Sequence(int)

    class Meta:
        model = LectureChapter


class LectureWorkMaterialFactory(DjangoModelFactory):
    lecture = None
    page = None
    sort_order = factory.Sequence(int)

    class Meta:
        model = LectureWorkMaterial


class WorksheetPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Arbetsblad: min historia {n}")
    purpose = "Deltagarna reflekterar över sin egen historia av att flytta."
    duration_minutes = 45
    group_size = "3–5 personer"
    preparation = "Skriv ut arbetsbladet."
    stages = factory.LazyFunction(
        lambda: [
            block(
                "stage",
                {"title": "Inledning", "minutes": 10, "description": "Presentera syftet."},
            ),
            block("stage", {"title": "Samtal", "minutes": 35, "description": ""}),
        ]
    )
    questions = factory.LazyFunction(
        lambda: [
            block(
                "reflection",
                {
                    "prompt": "När flyttade du första gången?",
                    "help_text": "",
                    "required": True,
                    "max_length": 5000,
                },
            ),
            block(
                "scale",
                {
                    "prompt": "Hur välkommen kände du dig?",
                    "help_text": "",
                    "required": True,
                    "min_value": 1,
                    "max_value": 5,
                    "min_label": "Inte alls",
                    "max_label": "Mycket",
                },
            ),
            block(
                "choice",
                {
                    "prompt": "Vem hjälpte dig mest?",
                    "help_text": "",
                    "required": False,
                    "options": ["Grannar", "Kollegor", "Kommunen"],
                    "multiple": False,
                },
            ),
            block(
                "timeline",
                {
                    "prompt": "Rita din tidslinje",
                    "help_text": "",
                    "required": False,
                    "min_rows": 3,
                    "period_label": "År",
                    "event_label": "Händelse",
                },
            ),
            block("discussion", {"text": rich("Vad har ni gemensamt?"), "minutes": 10}),
        ]
    )

    class Meta:
        model = WorksheetPage


class LessonsLearnedPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Vad vi har lärt oss {n}")
    intro = "Erfarenheter från kommunernas arbete med mottagande."
    body = factory.LazyFunction(
        lambda: [
            block(
                "section",
                {
                    "heading": "Samverkan lönar sig",
                    "summary": rich("Kommuner som samverkar når fler."),
                    "more": rich("Fördjupning om samverkan mellan förvaltningar."),
                },
            ),
            block(
                "testimonials",
                {
                    "heading": "Aktörerna berättar",
                    "quotes": [
                        {"quote": "Vi lärde oss mycket.", "role": "Enhetschef"},
                        {"quote": "Språket öppnar dörrar.", "role": "Handläggare"},
                    ],
                    "more": rich("Fler röster från projektet."),
                },
            ),
            block(
                "key_figures",
                {
                    "heading": "Intressanta fakta",
                    "figures": [{"value": "1 399", "label": "nyanlända i länet"}],
                    "source": "Exempelstatistik",
                },
            ),
            block(
                "resource_links",
                {
                    "heading": "Tips",
                    "links": [
                        {
                            "title": "Statistik om befolkningen",
                            "url": "https://www.example.org/statistik",
                            "description": "",
                        }
                    ],
                },
            ),
        ]
    )

    class Meta:
        model = LessonsLearnedPage


class ProjectIndexPageFactory(wagtail_factories.PageFactory):
    title = "Projektkatalogen"
    slug = "projekt"
    intro = "Integrationsprojekt i hela landet."

    class Meta:
        model = ProjectIndexPage


class ProjectPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Projekt {n:03d}")
    summary = "Ett projekt som stärker nyanländas väg till arbete."
    project_number = factory.Sequence(lambda n: f"2020/{n:05d}")
    project_owner = "Exempelkommunen"
    place = "Exempelstad"
    region = Region.SMALAND_OARNA
    planned_participants = 120
    women_share = 55
    start_date = datetime.date(2019, 1, 1)
    end_date = datetime.date(2021, 12, 31)
    total_budget = 4_000_000
    esf_grant = 2_000_000
    cofinancing_rate = 50
    programme_area = ProgrammeArea.TRANSITIONS
    specific_objective = "2.1"
    intervention_type = "102"
    key_figures = factory.LazyFunction(
        lambda: [block("figure", {"value": "80 %", "label": "gick vidare till arbete"})]
    )
    body = factory.LazyFunction(lambda: [block("paragraph", rich("Metoder och resultat."))])

    class Meta:
        model = ProjectPage


class ModuleStepFactory(DjangoModelFactory):
    """A step; give ``module`` and either ``page`` or (for a workshop) a ``title``."""

    module = None
    kind = ModuleStep.Kind.LECTURE
    page = None
    title = ""
    description = "Titta och reflektera."
    estimated_minutes = 15
    required = True
    sort_order = factory.Sequence(int)

    class Meta:
        model = ModuleStep


# --- Builders of whole things ----------------------------------------------------------------

Kind = ModuleStep.Kind

PAGE_FACTORIES = {
    Kind.LECTURE: LecturePageFactory,
    Kind.ARTICLE: LessonsLearnedPageFactory,
    Kind.WORKSHEET: WorksheetPageFactory,
}


def make_site() -> HomePage:
    """A HomePage under Wagtail's root, served as the default site (replaces the welcome page)."""
    root = Page.get_first_root_node()
    # Deleting the welcome page also deletes the Site that points at it.
    for child in root.get_children():
        child.delete()
    home = HomePageFactory(parent=root)
    Site.objects.create(
        hostname="localhost",
        port=80,
        site_name="Kompetensverkstaden",
        root_page=home,
        is_default_site=True,
    )
    return home


def build_module(parent, kinds: list[str], *, optional: set[int] = frozenset(), **fields):
    """A live module under ``parent`` with one step per kind (and a page for each but workshops).

    ``optional`` holds the 0-based positions of steps that are not required.
    """
    module = ModulePageFactory(parent=parent, **fields)
    for i, kind in enumerate(kinds):
        page = None
        title = ""
        if kind == Kind.WORKSHOP:
            title = f"Workshop {i + 1}"
        else:
            page = PAGE_FACTORIES[kind](parent=module, title=f"Steg {i + 1}: {kind}")
        ModuleStepFactory(
            module=module,
            kind=kind,
            page=page,
            title=title,
            required=i not in optional,
            sort_order=i,
        )
    return ModulePage.objects.get(pk=module.pk)


def steps_of(module: ModulePage) -> list[ModuleStep]:
    return list(module.steps.select_related("page", "module").order_by("sort_order"))


def build_workshop_module(home, *, requires_workshop: bool = True, **fields) -> ModulePage:
    """Lecture (with chapters), worksheet (stages, questions, a discussion prompt), workshop."""
    module = ModulePageFactory(parent=home, requires_workshop=requires_workshop, **fields)
    lecture = LecturePageFactory(parent=module, title="Att bli fler", video=MediaFactory())
    LectureChapterFactory(lecture=lecture, start="00:00", title="Inledning i filmen")
    LectureChapterFactory(lecture=lecture, start="00:30", title="Mottagandet")
    worksheet = WorksheetPageFactory(parent=module, title="Min egen historia")
    kinds = [
        (Kind.LECTURE, lecture, ""),
        (Kind.WORKSHEET, worksheet, ""),
        (Kind.WORKSHOP, None, "Workshop med kollegorna"),
    ]
    for i, (kind, page, title) in enumerate(kinds):
        ModuleStepFactory(
            module=module, kind=kind, page=page, title=title, sort_order=i, estimated_minutes=20
        )
    return ModulePage.objects.get(pk=module.pk)


def make_session(trainer, *, module=None, worksheet=None, **fields) -> WorkshopSession:
    """A workshop session a week from now, led by ``trainer``, on a module or a worksheet."""
    start = fields.pop("starts_at", timezone.now() + timedelta(days=7))
    defaults = {
        "title": "Vi blir fler – Växjö",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "place": "Stadshuset, rum 3",
        "capacity": 5,
        "note": "Ta med penna.",
    }
    defaults.update(fields)
    return WorkshopSession.objects.create(
        trainer=trainer, module=module, worksheet=worksheet, **defaults
    )
