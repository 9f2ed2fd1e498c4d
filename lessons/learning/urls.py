"""The learner's path: "Mina sidor", recording progress, and checking a certificate."""

from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("mina-sidor/", views.dashboard, name="dashboard"),
    path("framsteg/steg/<int:step_id>/klar/", views.mark_step_done, name="mark_step_done"),
    path("framsteg/steg/<int:step_id>/tittat/", views.lecture_progress, name="lecture_progress"),
    path("intyg/", views.certificate_verify, name="certificate_lookup"),
    path("intyg/<str:code>/", views.certificate_verify, name="certificate_verify"),
]
