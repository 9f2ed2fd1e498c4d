"""The person's data under /mina-sidor/mina-uppgifter/ (included before Wagtail's catch-all)."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("ladda-ner/", views.ask_for_export, name="export"),
    path("stang-kontot/", views.close_account, name="close_account"),
    path("stang-kontot/aterkalla/", views.withdraw_request, name="withdraw"),
]
