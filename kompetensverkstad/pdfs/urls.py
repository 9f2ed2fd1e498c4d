"""A learner's documents under /mina-sidor/dokument/ (included before Wagtail's catch-all)."""

from django.urls import path

from . import views

app_name = "pdfs"

urlpatterns = [
    path("<int:document_id>/", views.download, name="download"),
    path("<int:document_id>/status/", views.status, name="status"),
    path("<int:document_id>/forsok-igen/", views.retry, name="retry"),
]
