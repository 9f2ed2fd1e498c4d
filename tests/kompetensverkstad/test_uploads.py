"""Uploads through the Wagtail admin: images, documents and lecture media.

Each bad file (over the size limit, a decompression bomb that declares a huge size in a tiny
file, text named .jpg, a document or media type that is not allowed) must get a form error —
the form answered again (200) with the message, never 500 — and nothing may be created. A good
file of each kind is accepted by the same request, so the refusals are not a broken form.
"""

import io
import json
import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.models import Collection
from wagtailmedia.models import Media

from kompetensverkstad.models import SiteImage
from tests import factories

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
Document = get_document_model()


# --- Files -------------------------------------------------------------------------------------


def png(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#1f5f4a").save(buffer, "PNG")
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_declaring(width: int, height: int) -> bytes:
    """A few dozen bytes whose header declares ``width`` × ``height`` pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- Fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def editor_client(db) -> Client:
    client = Client()
    client.force_login(factories.UserFactory(username="redaktor", groups=["Editors"]))
    return client


@pytest.fixture
def admin_client_(db) -> Client:
    client = Client()
    client.force_login(factories.UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def root_collection_id() -> int:
    return Collection.get_first_root_node().pk


def form_error(response, field: str) -> str:
    assert response.status_code != 500
    assert response.status_code == 200, response.status_code
    errors = response.context["form"].errors
    assert field in errors, errors
    message = " ".join(errors[field])
    assert message in response.content.decode() or message.replace("'", "&#x27;") in (
        response.content.decode()
    )
    return message


# --- Images -------------------------------------------------------------------------------------


def add_image(client: Client, file, description: str = "Två kollegor vid ett bord."):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Bild",
            "file": file,
            "collection": root_collection_id(),
            "tags": "",
            "description": description,
        },
    )


def test_limits_are_set_in_settings():
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * MB
    # Below Pillow's own bomb threshold, so Wagtail's check is the one that decides.
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS < Image.MAX_IMAGE_PIXELS
    allowed = set(settings.WAGTAILDOCS_EXTENSIONS)
    assert {"pdf", "docx", "xlsx", "pptx", "odt", "txt", "csv", "vtt"} <= allowed
    assert not allowed & {"html", "htm", "svg", "js", "exe", "xml", "xhtml", "php", "sh"}
    assert settings.WAGTAILMEDIA["MEDIA_FORM_BASE"] == "kompetensverkstad.media_forms.MediaForm"


def test_a_real_image_with_alt_text_is_accepted(editor_client):
    response = add_image(editor_client, upload("bild.png", png(), "image/png"))
    assert response.status_code == 302
    assert SiteImage.objects.get().description == "Två kollegor vid ett bord."


def test_an_image_without_alt_text_is_refused(editor_client):
    response = add_image(editor_client, upload("bild.png", png(), "image/png"), description="")
    form_error(response, "description")
    assert not SiteImage.objects.exists()


BAD_IMAGES = {
    # 10 MB and one byte: a real PNG with padding after its end.
    "over_size_limit": lambda: ("stor.png", png() + b"\x00" * (10 * MB + 1)),
    # 2,500 megapixels declared in about 100 bytes: beyond Pillow's own bomb guard too.
    "bomb_50000x50000": lambda: ("bomb.png", png_declaring(50_000, 50_000)),
    # 64 megapixels: under Pillow's guard (about 89 Mpx), over the site's 40 Mpx limit.
    "bomb_8000x8000": lambda: ("stor-yta.png", png_declaring(8_000, 8_000)),
    "text_named_jpg": lambda: ("bild.jpg", "Det här är ingen bild, bara text.\n".encode() * 20),
    "html_named_png": lambda: ("bild.png", b"<html><script>alert(1)</script></html>"),
    "svg_with_script": lambda: (
        "bild.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
        b"<script>alert(1)</script></svg>",
    ),
}


@pytest.mark.parametrize("kind", list(BAD_IMAGES))
def test_bad_images_get_a_form_error_and_nothing_is_created(kind, editor_client):
    name, data = BAD_IMAGES[kind]()
    response = add_image(editor_client, upload(name, data, "image/png"))
    form_error(response, "file")
    assert not SiteImage.objects.exists()


def test_pillow_alone_would_let_the_8000x8000_bomb_through():
    """So the site's own pixel limit is a line of its own, not Pillow's guard again."""
    with Image.open(io.BytesIO(png_declaring(8_000, 8_000))) as image:
        assert image.size == (8_000, 8_000)
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS < 8_000 * 8_000


@pytest.mark.parametrize("kind", list(BAD_IMAGES))
def test_bad_images_are_refused_by_the_multiple_upload_too(kind, editor_client):
    name, data = BAD_IMAGES[kind]()
    response = editor_client.post(
        reverse("wagtailimages:add_multiple"), {"files[]": upload(name, data, "image/png")}
    )
    assert response.status_code == 200
    answer = json.loads(response.content)
    assert answer["success"] is False
    assert answer["error_message"]
    assert not SiteImage.objects.exists()


# --- Documents ----------------------------------------------------------------------------------


def add_document(client: Client, file):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": "Dokument", "file": file, "collection": root_collection_id(), "tags": ""},
    )


def test_an_allowed_document_is_accepted(editor_client):
    response = add_document(editor_client, upload("material.pdf", b"%PDF-1.4\n%%EOF\n"))
    assert response.status_code == 302
    assert Document.objects.count() == 1


BAD_DOCUMENTS = {
    "html": ("sida.html", b"<script>alert(1)</script>"),
    "svg": ("bild.svg", b"<svg onload=alert(1)></svg>"),
    "exe": ("program.exe", b"MZ\x90\x00"),
    "js": ("skript.js", b"alert(1)"),
    "no_extension": ("README", b"text"),
    "double_extension": ("material.pdf.html", b"<script>alert(1)</script>"),
}


@pytest.mark.parametrize("kind", list(BAD_DOCUMENTS))
def test_a_document_type_that_is_not_allowed_gets_a_form_error(kind, editor_client):
    name, data = BAD_DOCUMENTS[kind]
    response = add_document(editor_client, upload(name, data))
    form_error(response, "file")
    assert not Document.objects.exists()


def test_a_document_over_the_size_limit_gets_a_form_error(editor_client):
    data = b"%PDF-1.4\n" + b"0" * settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
    response = add_document(editor_client, upload("stor.pdf", data))
    form_error(response, "file")
    assert not Document.objects.exists()


@pytest.mark.parametrize("kind", ["html", "svg", "exe"])
def test_a_bad_document_is_refused_by_the_multiple_upload_too(kind, editor_client):
    name, data = BAD_DOCUMENTS[kind]
    response = editor_client.post(
        reverse("wagtaildocs:add_multiple"), {"files[]": upload(name, data)}
    )
    assert response.status_code == 200
    assert json.loads(response.content)["success"] is False
    assert not Document.objects.exists()


# --- Lecture films and sound (wagtailmedia) -----------------------------------------------------


def add_media(client: Client, media_type: str, file, thumbnail=None):
    data = {
        "title": "Föreläsning",
        "file": file,
        "collection": root_collection_id(),
        "tags": "",
        "duration": "60",
        "width": "",
        "height": "",
    }
    if thumbnail is not None:
        data["thumbnail"] = thumbnail
    return client.post(reverse("wagtailmedia:add", args=(media_type,)), data)


def test_a_video_is_accepted(admin_client_):
    response = add_media(
        admin_client_,
        "video",
        upload("film.webm", b"\x1aE\xdf\xa3film"),
        thumbnail=upload("tumnagel.png", png(), "image/png"),
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Media.objects.get().type == "video"


@pytest.mark.parametrize(
    "media_type, name, data",
    [
        ("video", "film.html", b"<script>alert(1)</script>"),
        ("video", "film.svg", b"<svg onload=alert(1)></svg>"),
        ("video", "ljud.mp3", b"ID3"),
        ("audio", "ljud.exe", b"MZ"),
        ("audio", "ljud.webm", b"\x1aE\xdf\xa3"),
    ],
)
def test_a_media_file_of_the_wrong_type_gets_a_form_error(admin_client_, media_type, name, data):
    response = add_media(admin_client_, media_type, upload(name, data))
    assert response.status_code == 200
    errors = response.context["form"].errors
    # wagtailmedia's model check reports the extension for the whole form.
    assert "file" in errors or "__all__" in errors, errors
    assert "Filändelsen" in response.content.decode()
    assert not Media.objects.exists()


@pytest.mark.parametrize(
    "name, data",
    [
        ("tumnagel.jpg", b"ingen bild"),
        ("tumnagel.html", b"<script>alert(1)</script>"),
        ("bomb.png", png_declaring(50_000, 50_000)),
        ("stor-yta.png", png_declaring(8_000, 8_000)),
    ],
)
def test_a_media_thumbnail_that_is_not_a_safe_image_gets_a_form_error(admin_client_, name, data):
    response = add_media(
        admin_client_, "video", upload("film.webm", b"\x1aE\xdf\xa3"), thumbnail=upload(name, data)
    )
    form_error(response, "thumbnail")
    assert not Media.objects.exists()


@override_settings(KV_MEDIA_MAX_UPLOAD_SIZE=1 * MB)
def test_a_media_file_over_the_size_limit_gets_a_form_error(admin_client_):
    response = add_media(admin_client_, "video", upload("film.mp4", b"\x00" * (MB + 1)))
    form_error(response, "file")
    assert not Media.objects.exists()
