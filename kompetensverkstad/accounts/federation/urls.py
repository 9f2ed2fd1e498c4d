"""Sign-in through an identity provider, under /konto/ in the ``federation`` namespace. Each
protocol adds ``<protocol>-login`` (taking the provider's slug), which
``IdentityProvider.login_url`` names."""

from django.urls import path

from . import views
from .oidc.urls import urlpatterns as oidc_urlpatterns

app_name = "federation"

urlpatterns = [
    path("kommun/", views.choose, name="choose"),
    path("kommun/koppla/", views.link, name="link"),
    *oidc_urlpatterns,
]
