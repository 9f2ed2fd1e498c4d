"""Hostile query strings and codes typed by anyone: the site search, the project catalogue's
filters, a certificate code (looked up and in the path) and a join code never answer 500, and
what they show stays inert (``tests/hostile.py`` has the payloads and the checker)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.hostile import PAYLOAD_IDS, PAYLOADS, TALLY, assert_inert, check, signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_search_codes_and_query_strings_never_answer_500(payload, home, learner):
    index = factories.ProjectIndexPageFactory(parent=home)
    anonymous = Client()
    text = payload.text[:2000]
    TALLY.tried("query strings (search, catalogue, certificate code, join code)", 6)
    check(anonymous, reverse("search"), [], "site search (query)", data={"q": text})
    filters = {"q": text, "region": text, "ar": text}
    check(anonymous, index.url, [], "catalogue filters", data=filters)
    response = anonymous.get(reverse("learning:certificate_lookup"), {"kod": text})
    assert response.status_code in (200, 404)
    assert_inert(response.content, where="certificate lookup")
    response = anonymous.get(
        reverse("learning:certificate_verify", args=[text[:16].replace("/", "-")])
    )
    assert response.status_code == 404
    assert_inert(response.content, where="certificate code in the path")
    client = signed_in(learner)
    response = client.post(reverse("workshops:join"), {"code": text[:20]})
    assert response.status_code in (400, 404)
    assert_inert(response.content, where="join form")
