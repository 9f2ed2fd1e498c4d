"""PDF rendering fetches nothing but the project's own static files.

A real WeasyPrint render (kompetensverkstad/pdfs/render.py) with a tiny HTTP server on loopback that
records every request it gets, and a Python audit hook that records every file opened and
every socket connected during the render. Answers and page fields are escaped, so they never
become an ``<img>``; the tests therefore also hand WeasyPrint HTML that really contains such
elements (raw HTML stored in a page's rich text, and a crafted document) to show that the URL
fetcher — not only the escaping — stops them.
"""

import http.server
import io
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader
from weasyprint import HTML

from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.pdfs.render import StaticOnlyFetcher, render_html_to_pdf
from lessons.learning.models import ModuleCompletion
from lessons.learning.recording import record_step_completed
from lessons.models import ModuleStep
from tests import factories
from tests.factories import block

pytestmark = pytest.mark.django_db

SECRET_FILE = "/etc/passwd"


# --- A server that records requests, and an audit of opens and connects -------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.server.requests.append(self.path)
        body = b"body{}"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server() -> Iterator[http.server.ThreadingHTTPServer]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    httpd.requests = []
    httpd.timeout = 2
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


class _Audit:
    """Files opened and sockets connected while ``recording`` is on (audit hooks stay for the
    process's life, so one hook is installed and switched on and off)."""

    def __init__(self) -> None:
        self.recording = False
        self.opened: list[str] = []
        self.connected: list[str] = []

    def __call__(self, event: str, args: tuple) -> None:
        if not self.recording:
            return
        if event == "open" and args and isinstance(args[0], str | bytes):
            self.opened.append(str(args[0]))
        elif event == "socket.connect":
            self.connected.append(repr(args[1:]))


AUDIT = _Audit()
sys.addaudithook(AUDIT)


@contextmanager
def audited() -> Iterator[_Audit]:
    AUDIT.opened.clear()
    AUDIT.connected.clear()
    AUDIT.recording = True
    try:
        yield AUDIT
    finally:
        AUDIT.recording = False


@pytest.fixture
def fetched(monkeypatch) -> list[str]:
    """Every URL WeasyPrint asks the project's fetcher for (the fetcher still decides)."""
    urls: list[str] = []
    real = StaticOnlyFetcher.fetch

    def spy(self, url, *args, **kwargs):
        urls.append(url)
        return real(self, url, *args, **kwargs)

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    return urls


def assert_nothing_outside_static(audit: _Audit, server) -> None:
    assert server.requests == [], server.requests
    assert not any(SECRET_FILE in path for path in audit.opened), audit.opened
    assert audit.connected == [], audit.connected


def hostile_urls(port: int) -> list[str]:
    return [
        f"file://{SECRET_FILE}",
        SECRET_FILE,
        f"http://127.0.0.1:{port}/x.png",
        f"https://127.0.0.1:{port}/x.css",
        f"http://localhost:{port}/y.css",
        "static:../../../../etc/passwd",
        "static:/etc/passwd",
        "static:css/../../../../../../etc/passwd",
        "data:text/html,<script>alert(1)</script>",
    ]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- The fetcher ------------------------------------------------------------------------------


def test_the_fetcher_serves_the_projects_static_files():
    response = StaticOnlyFetcher().fetch("static:css/pdf.css")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/css"


def test_the_fetcher_refuses_every_other_url(server):
    fetcher = StaticOnlyFetcher()
    with audited() as audit:
        for url in hostile_urls(server.server_port):
            with pytest.raises(ValueError, match="Refused"):
                fetcher.fetch(url)
    assert_nothing_outside_static(audit, server)


def test_a_document_with_real_hostile_elements_fetches_nothing(server, fetched):
    port = server.server_port
    html = f"""<!doctype html><html><head>
      <link rel="stylesheet" href="static:css/pdf.css">
      <link rel="stylesheet" href="http://127.0.0.1:{port}/link.css">
      <style>
        @import url("http://127.0.0.1:{port}/import.css");
        @font-face {{ font-family: X; src: url("http://127.0.0.1:{port}/font.woff2"); }}
        body {{ background: url("file://{SECRET_FILE}"); font-family: X; }}
      </style></head><body>
      <p>Text kvx20</p>
      <img src="file://{SECRET_FILE}"><img src="http://127.0.0.1:{port}/img.png">
      <object data="file://{SECRET_FILE}"></object><embed src="http://127.0.0.1:{port}/e">
      <iframe src="http://127.0.0.1:{port}/frame"></iframe>
      <svg><image href="http://127.0.0.1:{port}/svg.png" width="5" height="5"/></svg>
      <img src="static:../../../../etc/passwd">
    </body></html>"""

    with audited() as audit:
        data = render_html_to_pdf(html)

    assert data.startswith(b"%PDF")
    assert "kvx20" in pdf_text(data)
    assert_nothing_outside_static(audit, server)
    # WeasyPrint did ask for them: the fetcher is what refused.
    asked = " ".join(fetched)
    for path in ("link.css", "import.css", "img.png", "font.woff2"):
        assert f"127.0.0.1:{port}/{path}" in asked, fetched
    assert f"file://{SECRET_FILE}" in asked
    assert "static:css/pdf.css" in fetched


def test_fonts_and_stylesheet_are_loaded_once_not_for_every_render(fetched):
    """The print stylesheet and its six font files are read by the first render of a thread;
    every later render reuses them (loading them each time was most of a render's cost)."""
    html = '<html><body><p>Hej</p><p dir="rtl">مرحبا بكم</p></body></html>'
    render_html_to_pdf(html)
    fetched.clear()

    data = render_html_to_pdf(html)

    assert fetched == []
    assert "Hej" in pdf_text(data)


def test_without_the_fetcher_the_same_document_would_reach_the_server(server):
    """The check above can fail: WeasyPrint's default fetcher does request the URL."""
    html = f'<img src="http://127.0.0.1:{server.server_port}/img.png">'
    HTML(string=html).write_pdf()
    assert server.requests == ["/img.png"]


# --- The real documents -------------------------------------------------------------------------


def test_worksheet_pdf_with_hostile_answers_and_page_html_fetches_nothing(
    client, home, server, fetched, django_capture_on_commit_callbacks
):
    port = server.server_port
    module = factories.ModulePageFactory(parent=home, title=f"Modul http://127.0.0.1:{port}/m")
    page = factories.WorksheetPageFactory(
        parent=module,
        title="Arbetsblad",
        purpose=f'Syfte <img src="file://{SECRET_FILE}"> http://127.0.0.1:{port}/syfte',
        questions=[
            block(
                "reflection",
                {"prompt": "Fråga", "help_text": "", "required": True, "max_length": 5000},
            ),
        ],
    )
    learner = factories.UserFactory(first_name=f'<img src="file://{SECRET_FILE}">')
    client.force_login(learner)
    answer = (
        f'<img src="file://{SECRET_FILE}"> <img src="http://127.0.0.1:{port}/answer.png"> '
        f'<link rel=stylesheet href="http://127.0.0.1:{port}/answer.css"> kvx22'
    )
    question_id = page.questions[0].id

    with audited() as audit, django_capture_on_commit_callbacks(execute=True):
        response = client.post(page.url, {"action": "submit", f"q-{question_id}": answer})

    assert response.status_code == 302
    document = PdfDocument.objects.get(kind="worksheet", owner=learner)
    assert document.state == PdfDocument.State.READY, document.error
    assert_nothing_outside_static(audit, server)
    assert not any("answer" in url or "syfte" in url for url in fetched)  # escaped: no <img>
    with document.file.open("rb") as f:
        text = pdf_text(f.read())
    assert "kvx22" in text and "answer.png" in text  # shown as text instead


def test_certificate_and_session_pack_with_hostile_fields_fetch_nothing(
    home, server, fetched, django_capture_on_commit_callbacks
):
    port = server.server_port
    hostile = f'<img src="file://{SECRET_FILE}"> <img src="http://127.0.0.1:{port}/c.png">'
    learner = factories.UserFactory(first_name=hostile[:150], last_name="kvx23")
    module = factories.ModulePageFactory(parent=home, title=f"Modul {hostile}")
    lecture = factories.LecturePageFactory(parent=module)
    step = factories.ModuleStepFactory(module=module, kind=ModuleStep.Kind.LECTURE, page=lecture)
    trainer = factories.UserFactory(first_name=hostile[:150])

    with audited() as audit, django_capture_on_commit_callbacks(execute=True):
        record_step_completed(learner, step)
    certificate = ModuleCompletion.objects.get(user=learner).certificate
    assert certificate.state == PdfDocument.State.READY, certificate.error

    # Rich text is stored HTML and reaches the pack's discussion prompts unescaped: a real
    # <img> that only the fetcher can stop.
    raw_img = f'<p>Titta <img src="http://127.0.0.1:{port}/page.png"> kvx21</p>'
    worksheet = factories.WorksheetPageFactory(
        parent=module,
        questions=[block("discussion", {"text": raw_img, "minutes": 5})],
    )
    factories.ModuleStepFactory(module=module, kind=ModuleStep.Kind.WORKSHEET, page=worksheet)

    from lessons.workshops.models import SessionParticipant, WorkshopSession
    from lessons.workshops.pack import request_session_pack

    start = timezone.now() + timedelta(days=1)
    session = WorkshopSession.objects.create(
        trainer=trainer,
        module=module,
        title=hostile[:200],
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        place=hostile,
        note=hostile,
        capacity=2,
    )
    SessionParticipant.objects.create(session=session, user=learner)
    with audited() as pack_audit, django_capture_on_commit_callbacks(execute=True):
        pack = request_session_pack(session)
    pack.refresh_from_db()
    assert pack.state == PdfDocument.State.READY, pack.error
    for a in (audit, pack_audit):
        assert_nothing_outside_static(a, server)
    assert f"http://127.0.0.1:{port}/page.png" in fetched  # WeasyPrint tried; the fetcher refused
    with pack.file.open("rb") as f:
        assert "kvx21" in pdf_text(f.read())
