"""The site's page tree: home, information pages, and the module with its lecture, worksheet and
lessons-learned article. Each function creates its page only if it is missing, and publishes
it once; existing pages are left exactly as they are (an editor may have changed them)."""

from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from wagtail.models import Page, Site
from wagtailmedia.models import Media

from kompetensverkstad.models import HomePage, StandardPage
from lessons.models import (
    FeaturedModule,
    LectureChapter,
    LecturePage,
    LectureWorkMaterial,
    LessonsLearnedPage,
    ModulePage,
    ModuleStep,
)
from worksheets.models import WorksheetPage

from . import content
from .build import Build, find_or_add, fresh, publish, reload
from .projects import build_project_catalogue

DEMO_ASSETS = Path(settings.BASE_DIR) / "kompetensverkstad" / "demo_assets"
WELCOME_SLUG = "home"


def build_site(build: Build) -> HomePage:
    """The whole tree under a new home page, which becomes the default site's root."""
    root = Page.get_first_root_node()
    spec = content.HOME
    home, created = find_or_add(
        root,
        HomePage,
        spec["slug"],
        lambda: HomePage(title=spec["title"], intro=spec["intro"], body=fresh(spec["body"])),
    )
    point_default_site_at(home, build)
    remove_welcome_page(build)

    for page_spec in content.STANDARD_PAGES:
        build_standard_page(home, page_spec, build)
    module = build_module(home, build)
    build_project_catalogue(home, build)

    if created:
        # The featured module is a child of home, so home can be published only after it.
        home = reload(home)
        home.hero_image = build.image(spec["image"])
        home.featured_modules = [FeaturedModule(page=module)]
        publish(home, build)
    return home


def point_default_site_at(home: HomePage, build: Build) -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=content.SITE_HOSTNAME,
            port=content.SITE_PORT,
            site_name=content.SITE_NAME,
            root_page=home,
            is_default_site=True,
        )
        build.created["ny webbplats"] += 1
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = site.site_name or content.SITE_NAME
        site.save()  # save(), not update(): Wagtail clears its cached site roots on save
        build.created["ändrad webbplats"] += 1


def remove_welcome_page(build: Build) -> None:
    """Delete Wagtail's "Welcome to your new Wagtail site!" page, once nothing depends on it."""
    welcome = Page.objects.filter(
        depth=2, slug=WELCOME_SLUG, content_type=ContentType.objects.get_for_model(Page)
    ).first()
    if welcome is None:
        return
    # A Site pointing at it would be deleted with it; children would be lost with it.
    if welcome.numchild or Site.objects.filter(root_page=welcome).exists():
        build.warnings.append(
            f"Wagtails välkomstsida (id {welcome.pk}) har undersidor eller en egen webbplats "
            "och lämnades kvar."
        )
        return
    welcome.delete()
    build.created["borttagen välkomstsida"] += 1


def build_standard_page(home: HomePage, spec: dict, build: Build) -> StandardPage:
    page, created = find_or_add(
        home,
        StandardPage,
        spec["slug"],
        lambda: StandardPage(
            title=spec["title"],
            intro=spec["intro"],
            body=fresh(spec["body"]),
            show_in_menus=spec["show_in_menus"],
        ),
    )
    if created:
        publish(page, build)
    return page


# --- The module ------------------------------------------------------------------------------


def build_module(home: HomePage, build: Build) -> ModulePage:
    spec = content.MODULE
    module, created = find_or_add(
        home,
        ModulePage,
        spec["slug"],
        lambda: ModulePage(
            title=spec["title"],
            intro=spec["intro"],
            image=build.image(spec["image"]),
            audience=spec["audience"],
            outcomes=spec["outcomes"],
        ),
    )
    lecture, worksheet = build_lecture_and_worksheet(module, build)
    pages = {
        "lecture": lecture,
        "worksheet": worksheet,
        "lessons": build_lessons_learned(module, build),
    }
    if created:
        # Steps point at the module's own children, so they are added once those exist.
        module = reload(module)
        module.steps = [
            ModuleStep(
                kind=step["kind"],
                page=pages.get(step.get("page")),
                title=step.get("title", ""),
                description=step["description"],
                estimated_minutes=step["minutes"],
                required=step["required"],
            )
            for step in spec["steps"]
        ]
        publish(module, build)
    return module


def build_lecture_and_worksheet(
    module: ModulePage, build: Build
) -> tuple[LecturePage, WorksheetPage]:
    spec = content.LECTURE
    lecture, created = find_or_add(
        module,
        LecturePage,
        spec["slug"],
        lambda: LecturePage(
            title=spec["title"],
            intro=spec["intro"],
            video=ensure_video(spec["video"], build),
            poster=build.image(spec["image"]),
            captions=spec["captions"],
            transcript=spec["transcript"],
            speaker=spec["speaker"],
            speaker_role=spec["speaker_role"],
            duration_minutes=spec["duration_minutes"],
            recorded=spec["recorded"],
            chapters=[
                LectureChapter(start=start, title=title) for start, title in spec["chapters"]
            ],
        ),
    )
    # The lecture links to the worksheet, its sibling; creating the worksheet second keeps the
    # lecture first in the admin's page explorer, as it is first in the module.
    worksheet = build_worksheet(module, build)
    if created:
        lecture = reload(lecture)
        lecture.work_material = [LectureWorkMaterial(page=worksheet)]
        publish(lecture, build)
    return lecture, worksheet


def ensure_video(spec: dict, build: Build) -> Media:
    """The lecture film as a wagtailmedia item, copied from the demo assets once."""
    existing = Media.objects.filter(title=spec["title"]).first()
    if existing is not None:
        return existing
    media = Media(
        title=spec["title"],
        type="video",
        duration=spec["duration"],
        width=spec["width"],
        height=spec["height"],
        uploaded_by_user=build.user,
    )
    with (DEMO_ASSETS / spec["file"]).open("rb") as source:
        media.file.save(spec["file"], File(source), save=False)
    media.save()
    build.created["filmer"] += 1
    return media


def build_worksheet(module: ModulePage, build: Build) -> WorksheetPage:
    spec = content.WORKSHEET
    worksheet, created = find_or_add(
        module,
        WorksheetPage,
        spec["slug"],
        lambda: WorksheetPage(
            title=spec["title"],
            purpose=spec["purpose"],
            duration_minutes=spec["duration_minutes"],
            group_size=spec["group_size"],
            preparation=spec["preparation"],
            stages=fresh(spec["stages"]),
            questions=fresh(spec["questions"]),
        ),
    )
    if created:
        publish(worksheet, build)
    return worksheet


def build_lessons_learned(module: ModulePage, build: Build) -> LessonsLearnedPage:
    spec = content.LESSONS_LEARNED
    page, created = find_or_add(
        module,
        LessonsLearnedPage,
        spec["slug"],
        lambda: LessonsLearnedPage(
            title=spec["title"], intro=spec["intro"], body=fresh(spec["body"])
        ),
    )
    if created:
        publish(page, build)
    return page
