"""OpenID Connect under /konto/oidc/, in the core's ``federation`` namespace (included by
``federation/urls.py``)."""

from django.urls import path

from . import views

urlpatterns = [
    # The redirect URI registered at every provider.
    path("oidc/tillbaka/", views.callback, name="oidc-callback"),
    path("oidc/<slug:slug>/logga-in/", views.login, name="oidc-login"),
]
