"""Uploaded files served in development and tests: whole, or by byte range so videos can seek."""

import pytest

from tests import factories


@pytest.fixture
def video(db):
    return factories.MediaFactory(file__data=bytes(range(256)) * 4, file__filename="film.webm")


def get(client, video, **headers):
    return client.get(video.url, headers=headers)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_media_file_is_served_whole_and_announces_ranges(client, video):
    response = get(client, video)

    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/webm"
    assert body(response) == bytes(range(256)) * 4


@pytest.mark.parametrize(
    ("range_header", "start", "end"),
    [
        ("bytes=0-", 0, 1023),
        ("bytes=100-199", 100, 199),
        ("bytes=1000-5000", 1000, 1023),
        ("bytes=-24", 1000, 1023),
    ],
)
def test_byte_range_is_served_as_partial_content(client, video, range_header, start, end):
    response = get(client, video, Range=range_header)

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/1024"
    assert response["Content-Length"] == str(end - start + 1)
    assert body(response) == (bytes(range(256)) * 4)[start : end + 1]


def test_range_past_the_end_is_refused(client, video):
    response = get(client, video, Range="bytes=2000-")

    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1024"


def test_malformed_range_gets_the_whole_file(client, video):
    response = get(client, video, Range="bytes=a-b")

    assert response.status_code == 200


@pytest.mark.django_db
def test_missing_or_escaping_media_path_is_404(client):
    assert client.get("/media/finns-inte.webm").status_code == 404
    assert client.get("/media/../pyproject.toml").status_code in (400, 404)
