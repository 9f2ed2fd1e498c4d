"""Municipality coordinators: their scope, the scoped CSV import, deactivating staff, and what
they may not do (edit pages, see other municipalities' people)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import GroupPagePermission

from kompetensverkstad.accounts.coordinators import (
    COORDINATOR_GROUP,
    Coordinator,
    is_coordinator,
    may_see_reports,
    visible_municipalities,
)
from kompetensverkstad.accounts.models import Municipality, Profile
from tests import factories

User = get_user_model()


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.KV_REQUIRE_2FA_FOR_STAFF = False


@pytest.fixture
def kalmar(db):
    return Municipality.objects.create(name="Kalmar", county="kalmar")


@pytest.fixture
def vimmerby(db):
    return Municipality.objects.create(name="Vimmerby", county="kalmar")


@pytest.fixture
def coordinator(kalmar):
    user = factories.UserFactory(username="samordnare")
    user.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    Coordinator.objects.create(user=user).municipalities.set([kalmar])
    return user


def staff(municipality, username):
    user = factories.UserFactory(username=username, first_name=username.title())
    Profile.objects.create(user=user, municipality=municipality)
    return user


def upload(client, text: str):
    return client.post(
        reverse("kv_import_users"),
        {"csv_file": SimpleUploadedFile("personal.csv", text.encode(), "text/csv")},
    )


def test_group_exists_with_admin_access_and_no_editing_rights(db) -> None:
    group = Group.objects.get(name=COORDINATOR_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    # Not even "choose" on images and documents, which Wagtail gives existing admin groups.
    assert codenames == {"access_admin"}
    assert not GroupPagePermission.objects.filter(group=group).exists()


def test_scope_of_coordinator_administrator_and_others(coordinator, kalmar, vimmerby) -> None:
    assert is_coordinator(coordinator) and may_see_reports(coordinator)
    assert list(visible_municipalities(coordinator)) == [kalmar]
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    assert set(visible_municipalities(admin)) == {kalmar, vimmerby}
    learner = factories.UserFactory()
    assert not may_see_reports(learner) and not visible_municipalities(learner).exists()
    # In the group but tied to no municipality: no coordinator yet.
    bare = factories.UserFactory()
    bare.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    assert not is_coordinator(bare) and not visible_municipalities(bare).exists()
    coordinator.is_active = False
    coordinator.save()
    coordinator = User.objects.get(pk=coordinator.pk)
    assert not may_see_reports(coordinator)


def test_coordinator_is_no_page_editor(client, coordinator, home) -> None:
    client.force_login(coordinator)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    response = client.get(reverse("wagtailadmin_pages:edit", args=[home.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert client.get(reverse("wagtailadmin_pages:add_subpage", args=[home.pk])).status_code == 302


def test_coordinator_imports_staff_into_own_municipality_only(
    client, coordinator, kalmar, vimmerby
):
    client.force_login(coordinator)
    assert client.get(reverse("kv_import_users")).status_code == 200
    response = upload(
        client,
        "namn,e-post,kommun\n"
        "Klara Kalmar,klara@example.org,Kalmar\n"
        "Vide Vimmerby,vide@example.org,Vimmerby\n",
    )
    assert response.status_code == 200
    assert User.objects.get(username="klara@example.org").profile.municipality == kalmar
    assert not User.objects.filter(username="vide@example.org").exists()
    assert "bara bjuda in personal till dina egna kommuner" in response.text
    assert [m.to for m in mail.outbox] == [["klara@example.org"]]


def test_administrator_imports_into_any_municipality(client, kalmar, vimmerby) -> None:
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    upload(client, "namn,e-post,kommun\nVide Vimmerby,vide@example.org,Vimmerby\n")
    assert User.objects.get(username="vide@example.org").profile.municipality == vimmerby


def test_staff_list_shows_own_municipality_only(client, coordinator, kalmar, vimmerby) -> None:
    staff(kalmar, "karin")
    staff(vimmerby, "viktor")
    client.force_login(coordinator)
    response = client.get(reverse("kv_staff"))
    assert response.status_code == 200
    assert "Karin" in response.text and "Viktor" not in response.text


def test_coordinator_deactivates_own_staff(client, coordinator, kalmar) -> None:
    karin = staff(kalmar, "karin")
    client.force_login(coordinator)
    response = client.post(reverse("kv_staff_deactivate", args=[karin.pk]))
    assert response.status_code == 302
    karin.refresh_from_db()
    assert not karin.is_active


def test_coordinator_cannot_deactivate_another_municipalitys_staff(
    client, coordinator, vimmerby
) -> None:
    viktor = staff(vimmerby, "viktor")
    client.force_login(coordinator)
    assert client.post(reverse("kv_staff_deactivate", args=[viktor.pk])).status_code == 404
    assert client.get(reverse("kv_staff_deactivate", args=[viktor.pk])).status_code == 405
    viktor.refresh_from_db()
    assert viktor.is_active


def test_learners_and_editors_have_no_staff_list(client, kalmar) -> None:
    karin = staff(kalmar, "karin")
    editor = factories.UserFactory(groups=["Editors"])
    client.force_login(editor)
    refused = client.get(reverse("kv_staff"))
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    assert client.post(reverse("kv_staff_deactivate", args=[karin.pk])).status_code in (302, 403)
    karin.refresh_from_db()
    assert karin.is_active


def test_coordinator_reactivates_own_staff_and_only_theirs(
    client, coordinator, kalmar, vimmerby
) -> None:
    karin, viktor = staff(kalmar, "karin"), staff(vimmerby, "viktor")
    User.objects.filter(pk__in=[karin.pk, viktor.pk]).update(is_active=False)
    client.force_login(coordinator)
    listing = client.get(reverse("kv_staff"))
    assert reverse("kv_staff_reactivate", args=[karin.pk]) in listing.text

    assert client.post(reverse("kv_staff_reactivate", args=[viktor.pk])).status_code == 404
    assert client.get(reverse("kv_staff_reactivate", args=[karin.pk])).status_code == 405
    answer = client.post(reverse("kv_staff_reactivate", args=[karin.pk]), {"p": "1"})
    assert answer.status_code == 302 and answer["Location"] == reverse("kv_staff") + "?p=1"
    karin.refresh_from_db(), viktor.refresh_from_db()
    assert karin.is_active and not viktor.is_active


def test_staff_list_comes_a_page_at_a_time_with_bounded_queries(
    client, coordinator, kalmar, django_assert_max_num_queries
) -> None:
    from kompetensverkstad.accounts.admin_views import STAFF_PER_PAGE

    for i in range(STAFF_PER_PAGE + 5):
        staff(kalmar, f"person{i:03d}")
    client.force_login(coordinator)
    first = client.get(reverse("kv_staff"))
    assert first.text.count("Avaktivera ") == STAFF_PER_PAGE
    assert 'aria-label="Pagination"' in first.text or "pagination" in first.text
    with django_assert_max_num_queries(30):
        last = client.get(reverse("kv_staff"), {"p": "2"})
    assert last.text.count("Avaktivera ") == 5
    # A page past the end or not a number: the nearest real page, not an error.
    assert client.get(reverse("kv_staff"), {"p": "99"}).status_code == 200
    assert client.get(reverse("kv_staff"), {"p": "x"}).status_code == 200
