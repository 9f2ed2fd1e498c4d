"""The project catalogue: its index page, one page per project, and the partner and contact
snippets the projects point at."""

from kompetensverkstad.models import ContactPerson, HomePage, Partner
from lessons.models import ProjectIndexPage, ProjectPage

from . import content
from .build import Build, find_or_add, fresh, publish
from .images import draw_logo, ensure_image

# ProjectPage fields copied straight from a content.PROJECTS entry when present.
PROJECT_FIELDS = (
    "title",
    "summary",
    "project_number",
    "project_owner",
    "place",
    "region",
    "planned_participants",
    "women_share",
    "start_date",
    "end_date",
    "total_budget",
    "esf_grant",
    "cofinancing_rate",
    "programme_area",
    "specific_objective",
    "intervention_type",
)


def build_project_catalogue(home: HomePage, build: Build) -> ProjectIndexPage:
    spec = content.PROJECT_INDEX
    index, created = find_or_add(
        home,
        ProjectIndexPage,
        spec["slug"],
        lambda: ProjectIndexPage(title=spec["title"], intro=spec["intro"]),
    )
    if created:
        publish(index, build)
    for project in content.PROJECTS:
        build_project(index, project, build)
    return index


def build_project(index: ProjectIndexPage, spec: dict, build: Build) -> ProjectPage:
    def new_page() -> ProjectPage:
        page = ProjectPage(
            **{name: spec[name] for name in PROJECT_FIELDS if name in spec},
            owner_logo=build.image(spec["image"]),
            contact=ensure_contact(spec["contact"], build),
            key_figures=fresh(spec.get("key_figures", [])),
            body=fresh(spec["body"]),
        )
        # Parental relations and tags are held on the unsaved page and written with it.
        page.staff = [ensure_contact(key, build) for key in spec.get("staff", [])]
        page.partners = [ensure_partner(name, build) for name in spec.get("partners", [])]
        page.tags.add(*spec["tags"])
        return page

    page, created = find_or_add(index, ProjectPage, spec["slug"], new_page)
    if created:
        publish(page, build)
    return page


def ensure_contact(key: str, build: Build) -> ContactPerson:
    """The contact person ``content.CONTACTS[key]``, found by name."""
    spec = content.CONTACTS[key]
    person = ContactPerson.objects.filter(name=spec["name"]).first()
    if person is None:
        person = ContactPerson.objects.create(**spec)
        build.created["kontaktpersoner"] += 1
    return person


def ensure_partner(name: str, build: Build) -> Partner:
    """The partner with this name, with a generated logo, found by name."""
    partner = Partner.objects.filter(name=name).first()
    if partner is not None:
        return partner
    spec = next(p for p in content.PARTNERS if p["name"] == name)
    logo, logo_created = ensure_image(
        f"Logotyp: {name}",
        f"Logotyp för {name}.",
        lambda: draw_logo(name, spec["colour"]),
        "png",
    )
    build.created["bilder"] += logo_created
    build.created["samverkansparter"] += 1
    return Partner.objects.create(name=name, url=spec["url"], logo=logo)
