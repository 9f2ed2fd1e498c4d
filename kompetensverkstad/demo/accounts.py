"""Demo users, their groups, and the page permissions and workflow that make moderation work.

Wagtail's own migrations create the "Editors" and "Moderators" groups, give them page
permissions on the root page and assign the "Moderators approval" workflow to it. Here we only
check that the home page's tree is covered and add what is missing; nothing is taken away.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from kompetensverkstad.accounts.coordinators import Coordinator
from kompetensverkstad.accounts.models import Municipality, Profile

from . import content
from .build import Build

T = TypeVar("T")
WORKFLOW_NAME = "Moderators approval"
# What each group needs on the home page's tree; editors must not publish, moderators must.
PAGE_PERMISSIONS = {
    content.EDITORS_GROUP: {"add_page", "change_page"},
    content.MODERATORS_GROUP: {"add_page", "change_page", "publish_page"},
}


def ensure_users(build: Build) -> dict[str, AbstractBaseUser]:
    """One user per role, by username; a password is reset only if it no longer matches."""
    User = get_user_model()
    groups = ensure_groups(build)
    specs = {spec["username"]: spec for spec in content.DEMO_USERS}
    users = {u.username: u for u in User.objects.filter(username__in=specs)}
    reset_changed_passwords(users, build)
    missing = [name for name in specs if name not in users]
    hashed = _in_threads(make_password, [specs[name]["password"] for name in missing])
    hashes = dict(zip(missing, hashed, strict=True))
    for name in missing:
        spec = specs[name]
        users[name] = User.objects.create(
            username=name,
            email=spec["email"],
            password=hashes[name],
            first_name=spec["first_name"],
            last_name=spec["last_name"],
            is_staff=spec.get("superuser", False),
            is_superuser=spec.get("superuser", False),
        )
        build.created["användare"] += 1
    for name, spec in specs.items():
        # add() skips memberships that exist, so this writes nothing on a second run.
        users[name].groups.add(*(groups[group] for group in spec["groups"]))
        if spec.get("municipality"):
            ensure_profile(users[name], spec, build)
        if spec.get("coordinates"):
            ensure_coordinator(users[name], spec, build)
    return {name: users[name] for name in specs}


def _in_threads(function: Callable[[str], T], items: list[str]) -> list[T]:
    # Each password hash or check is a full PBKDF2 run (about half a second); hashlib releases
    # the GIL while hashing, so threads spread them over the machine's cores.
    if not items:
        return []
    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(function, items))


def reset_changed_passwords(users: dict[str, AbstractBaseUser], build: Build) -> None:
    """Set the demo password again on demo users whose password was changed."""
    passwords = {spec["username"]: spec["password"] for spec in content.DEMO_USERS}
    names = list(users)
    matches = _in_threads(lambda name: check_password(passwords[name], users[name].password), names)
    for name, ok in zip(names, matches, strict=True):
        if not ok:
            users[name].set_password(passwords[name])
            users[name].save(update_fields=["password"])
            build.created["återställda lösenord"] += 1


def ensure_groups(build: Build) -> dict[str, Group]:
    names = {name for spec in content.DEMO_USERS for name in spec["groups"]}
    groups = {g.name: g for g in Group.objects.filter(name__in=names)}
    for name in names - groups.keys():
        groups[name] = Group.objects.create(name=name)
        build.created["grupper"] += 1
    return groups


def ensure_profile(user: AbstractBaseUser, spec: dict, build: Build) -> None:
    """Put learners and trainers in a municipality, so the reports have something to show."""
    if Profile.objects.filter(user=user).exists():
        return
    municipality = _municipality(spec["municipality"], build)
    Profile.objects.create(user=user, municipality=municipality, job_title=spec["job_title"])


def _municipality(name: str, build: Build) -> Municipality:
    municipality = Municipality.objects.filter(name__iexact=name).first()
    if municipality is None:
        municipality = Municipality.objects.create(
            name=name, county=content.MUNICIPALITIES.get(name, "")
        )
        build.created["kommuner"] += 1
    return municipality


def ensure_coordinator(user: AbstractBaseUser, spec: dict, build: Build) -> None:
    """Tie the demo coordinator to their municipalities; what an administrator did is kept."""
    # The group's one right comes from migration 0003; put back if someone took it away.
    user.groups.get(name=content.COORDINATOR_GROUP).permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    coordinator, created = Coordinator.objects.get_or_create(user=user)
    build.created["samordnare"] += created
    if created:
        coordinator.municipalities.set([_municipality(n, build) for n in spec["coordinates"]])


def ensure_page_permissions(home: Page, build: Build) -> None:
    """Editors may add and edit under home, moderators may also publish; add only what lacks."""
    page_type = ContentType.objects.get_for_model(Page)
    covering = home.get_ancestors(inclusive=True)
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for group_name, needed in PAGE_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=group_name)
        build.created["grupper"] += created
        group.permissions.add(access_admin)
        held = set(
            GroupPagePermission.objects.filter(group=group, page__in=covering).values_list(
                "permission__codename", flat=True
            )
        )
        for codename in sorted(needed - held):
            GroupPagePermission.objects.create(
                group=group,
                page=home,
                permission=Permission.objects.get(content_type=page_type, codename=codename),
            )
            build.created["sidbehörigheter"] += 1
        if group_name == content.EDITORS_GROUP and "publish_page" in held:
            # Not removed: someone chose this; but moderation is bypassed for editors then.
            build.warnings.append(
                "Gruppen Editors får publicera sidor direkt; granskningsflödet gäller då inte "
                "dem. Ta bort behörigheten i Inställningar → Grupper om det inte är meningen."
            )


def ensure_workflow(home: Page, build: Build) -> Workflow:
    """The moderation workflow on the home page's tree (Wagtail puts it on the root page)."""
    workflow = home.get_workflow()
    if workflow is not None:
        return workflow
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME, active=True).first()
    if workflow is None:
        moderators, _created = Group.objects.get_or_create(name=content.MODERATORS_GROUP)
        task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME)
        task.groups.set([moderators])
        workflow = Workflow.objects.create(name=WORKFLOW_NAME)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        build.created["arbetsflöden"] += 1
    WorkflowPage.objects.create(page=home, workflow=workflow)
    build.created["arbetsflödeskopplingar"] += 1
    return workflow
