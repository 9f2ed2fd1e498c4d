from django.urls import path

from . import views

urlpatterns = [
    path("mina-sidor/", views.dashboard, name="dashboard"),
    path("framsteg/steg/<int:step_id>/klar/", views.mark_step_done, name="step_done"),
    path("framsteg/steg/<int:step_id>/tittat/", views.lecture_progress, name="lecture_progress"),
    path(
        "mina-sidor/dokument/<int:document_id>/", views.document_download, name="document_download"
    ),
    path(
        "mina-sidor/dokument/<int:document_id>/status/",
        views.document_status,
        name="document_status",
    ),
    path(
        "mina-sidor/dokument/<int:document_id>/forsok-igen/",
        views.document_retry,
        name="document_retry",
    ),
    path("intyg/", views.certificate_verify, name="certificate_lookup"),
    path("intyg/<str:code>/", views.certificate_verify, name="certificate_verify"),
]
