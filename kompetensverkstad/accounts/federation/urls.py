"""Sign-in through an identity provider, under /konto/ in the ``federation`` namespace. Each
protocol adds ``<protocol>-login`` (taking the provider's slug), which
``IdentityProvider.login_url`` names."""

from django.urls import path

from . import views
from .oidc.urls import urlpatterns as oidc_urlpatterns
from .saml import views as saml

app_name = "federation"

urlpatterns = [
    path("kommun/", views.choose, name="choose"),
    path("kommun/koppla/", views.link, name="link"),
    # SAML 2.0: the SP's metadata and endpoints keep these URLs (IdPs and federations store them).
    path("saml/metadata/", saml.metadata, name="saml-metadata"),
    path("saml/acs/", saml.acs, name="saml-acs"),
    path("saml/sls/", saml.sls, name="saml-sls"),
    path("saml/logga-ut/", saml.logout_view, name="saml-logout"),
    path("saml/<slug:slug>/logga-in/", saml.login, name="saml-login"),
    # OpenID Connect: /konto/oidc/<slug>/logga-in/ and the redirect URI /konto/oidc/tillbaka/.
    *oidc_urlpatterns,
]
