"""Asking to close an account on "Mina uppgifter", and carrying it out in the admin: a clear
confirmation step, only an administrator carries it out, and afterwards the person is signed
out and cannot sign in again."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from kompetensverkstad.accounts.coordinators import COORDINATOR_GROUP, Coordinator
from kompetensverkstad.accounts.models import Municipality
from kompetensverkstad.privacy.models import ErasureRequest
from lessons.learning.models import AnonymousCompletion, ModuleCompletion
from tests import factories
from tests.factories import make_session
from tests.kompetensverkstad.accounts.signing_in import sign_in, signed_in_user_id

User = get_user_model()
CLOSE = reverse("privacy:close_account")


@pytest.fixture
def signed_in(learner) -> Client:
    client = Client()
    assert sign_in(client, learner.username).status_code == 302
    assert signed_in_user_id(client) == str(learner.pk)
    return client


def _cannot_sign_in(username: str) -> None:
    client = Client()
    response = sign_in(client, username)
    assert response.status_code == 200 and signed_in_user_id(client) is None


def test_mina_sidor_links_to_my_data(signed_in):
    page = signed_in.get(reverse("learning:dashboard"))
    assert reverse("privacy:my_data") in page.text
    data = signed_in.get(reverse("privacy:my_data"))
    assert "Ladda ner mina uppgifter" in data.text and CLOSE in data.text


def test_closing_needs_the_confirmation_box(signed_in, learner):
    page = signed_in.get(CLOSE)
    assert 'type="checkbox" name="confirm"' in page.text and "inte går att ångra" in page.text
    refused = signed_in.post(CLOSE, {})
    assert refused.status_code == 400 and "Kryssa i rutan" in refused.text
    assert not ErasureRequest.objects.exists()


def test_a_request_waits_for_an_administrator_who_carries_it_out(
    signed_in, learner, superuser, settings
):
    settings.KV_ERASURE_AT_ONCE = False
    assert signed_in.post(CLOSE, {"confirm": "yes"}).status_code == 302
    assert signed_in.post(CLOSE, {"confirm": "yes"}).status_code == 302  # twice: one request
    asked = ErasureRequest.objects.get(user=learner, state="requested")
    assert "Du bad om att få kontot stängt" in signed_in.get(reverse("privacy:my_data")).text

    admin = Client()
    admin.force_login(superuser)
    listing = admin.get(reverse("kv_erasure_requests"))
    assert "Amina Exempelsson" in listing.text
    response = admin.post(reverse("kv_erasure_carry_out", args=[asked.pk]))
    assert response.status_code == 302

    assert not User.objects.filter(pk=learner.pk).exists()
    asked.refresh_from_db()
    assert (asked.user_id, asked.state, asked.carried_out_by_id) == (None, "done", superuser.pk)
    # Signed out: the old session is nobody's, and the password opens nothing.
    assert signed_in.get(reverse("learning:dashboard")).status_code == 302
    _cannot_sign_in(learner.username)
    assert "Amina Exempelsson är raderad" in admin.get(reverse("kv_erasure_requests")).text
    assert "Amina" not in admin.get(reverse("kv_erasure_requests")).text  # the message is gone


def test_a_withdrawn_request_is_not_carried_out(signed_in, learner, superuser):
    signed_in.post(CLOSE, {"confirm": "yes"})
    asked = ErasureRequest.objects.get(user=learner)
    signed_in.post(reverse("privacy:withdraw"))
    admin = Client()
    admin.force_login(superuser)
    assert admin.post(reverse("kv_erasure_carry_out", args=[asked.pk])).status_code == 404
    assert User.objects.filter(pk=learner.pk).exists()


def test_with_the_setting_the_learner_closes_the_account_at_once(signed_in, learner, settings):
    settings.KV_ERASURE_AT_ONCE = True
    response = signed_in.post(CLOSE, {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_user_id(signed_in) is None
    assert not User.objects.filter(pk=learner.pk).exists()
    _cannot_sign_in(learner.username)


def test_only_an_administrator_carries_out_a_request(learner, editor, client):
    asked = ErasureRequest.objects.create(user=learner)
    coordinator = factories.UserFactory(username="samordnare-y")
    coordinator.groups.add(Group.objects.get_or_create(name=COORDINATOR_GROUP)[0])
    Coordinator.objects.create(user=coordinator).municipalities.add(
        Municipality.objects.create(name="Kalmar")
    )
    for person in (learner, editor, coordinator):
        client.force_login(person)
        client.post(reverse("kv_erasure_carry_out", args=[asked.pk]))
    assert User.objects.filter(pk=learner.pk).exists()
    assert ErasureRequest.objects.get(pk=asked.pk).state == "requested"


def test_a_trainer_with_sessions_hears_why_it_must_wait(trainer, superuser, workshop_module):
    make_session(trainer, module=workshop_module)
    asked = ErasureRequest.objects.create(user=trainer)
    admin = Client()
    admin.force_login(superuser)
    response = admin.post(reverse("kv_erasure_carry_out", args=[asked.pk]), follow=True)
    assert "Ge dem en annan utbildare" in response.text
    assert User.objects.filter(pk=trainer.pk).exists()


def test_wagtails_delete_user_erases_by_the_same_rules(learner, superuser, workshop_module):
    completion = ModuleCompletion.objects.create(
        user=learner, module=workshop_module, learner_name="Amina Exempelsson", module_title="M"
    )
    admin = Client()
    admin.force_login(superuser)
    url = reverse("wagtailusers_users:delete", args=[learner.pk])
    assert admin.get(url).status_code == 200  # Wagtail's confirmation page, as it is
    response = admin.post(url)
    assert response.status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()
    anonymous = AnonymousCompletion.objects.get()
    assert anonymous.verification_code == completion.verification_code
    assert ErasureRequest.objects.get().carried_out_by_id == superuser.pk
