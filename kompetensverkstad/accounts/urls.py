"""Account URLs under /konto/, in the ``accounts`` namespace (Django's auth views are told their
next step by name, in views.py)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import two_factor, views

app_name = "accounts"

urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    # Django's LogoutView accepts POST only: a link or an image cannot sign anybody out.
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("registrera/", views.signup, name="signup"),
    # The second factor that editors and administrators confirm before /admin/ opens.
    path("tvastegsverifiering/", two_factor.verify, name="two_factor_verify"),
    path("tvastegsverifiering/aktivera/", two_factor.setup, name="two_factor_setup"),
    path("profil/", views.profile, name="profile"),
    path("losenord/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "losenord/klart/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("aterstall-losenord/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "aterstall-losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "aterstall-losenord/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "aterstall-losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
