"""``load_demo`` makes the demo coordinator, tied to Kalmar, and prints it with the others."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from kompetensverkstad.accounts.coordinators import Coordinator, visible_municipalities


@pytest.mark.django_db
def test_demo_coordinator_is_made_once_and_printed(client, settings) -> None:
    settings.KV_REQUIRE_2FA_FOR_STAFF = False
    out = StringIO()
    call_command("load_demo", stdout=out, stderr=StringIO())
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    user = get_user_model().objects.get(username="samordnare")
    assert user.check_password("demo-samordnare")
    assert not user.is_superuser
    assert [m.name for m in visible_municipalities(user)] == ["Kalmar"]
    assert Coordinator.objects.filter(user=user).count() == 1
    printed = out.getvalue()
    assert "samordnare" in printed and "demo-samordnare" in printed

    client.force_login(user)
    response = client.get(reverse("kv_reports:completion"))
    assert response.status_code == 200
    assert [r.group_label for r in response.context["object_list"]][:1] == ["Kalmar"]
    assert client.get(reverse("kv_staff")).status_code == 200
