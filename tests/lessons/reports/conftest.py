import pytest

from tests import factories
from tests.conftest import make_site

from .builders import build_county, make_coordinator


@pytest.fixture
def home(db):
    return make_site()


@pytest.fixture
def county(home):
    return build_county(home, per_municipality=8)


@pytest.fixture
def coordinator(county):
    return make_coordinator("samordnare-kalmar", county.municipalities["Kalmar"])


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.KV_REQUIRE_2FA_FOR_STAFF = False
