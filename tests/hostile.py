"""Hostile input: a corpus of payloads, a checker that parses HTML to prove them inert, and the
harness the hostile-input tests of each package share (tests/*/test_hostile_input.py).

Every payload carries a unique marker (``kvx01`` …) so a test can find where it landed. The
checker parses the page with the standard library's HTML parser — the way a browser builds
elements, not a substring search — and reports any element or attribute that came from the
input: a script holding a marker, an ``on…`` handler or ``style`` attribute holding one, an
``<svg>``/``<style>`` carrying one, a ``javascript:``/``file:`` URL, a loopback URL of the
test server, an image whose source is the payload's ``x``. It also proves the payload is
still shown as text, so a field that silently stops being shown fails too.

How the input gets in, in the tests that use the harness below:
* pages and snippets: the Wagtail admin's own forms, POSTed by an editor (snippets and
  municipalities by an administrator: editors have no snippet permissions);
* worksheet answers: the autosave endpoint (JSON) and the plain form submit;
* workshop sessions: the trainer's form; profile names: the person's own profile form;
* a few pages are built with factories only to *show* input entered through the forms above
  (a project page pointing at the snippets, the module a certificate is for).
Each payload goes into every text field of a form, cut to the field's length so the form accepts
it (the 100,000-character string is kept whole where a field has no limit, such as rich text and
worksheet drafts). A payload the database cannot store (NUL) must be refused with a message.
Every page that shows the fields — public pages, the Wagtail admin's listings, history and
revision comparison, the learner's and the trainer's pages, the exports and the HTML given to
WeasyPrint — is parsed: no element or attribute from the input may exist, the text must still be
shown, and nothing may answer 500.
"""

import json
import re
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import streamfield

from kompetensverkstad.pdfs import kinds
from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.pdfs.render import render_template_to_html
from lessons.workshops.models import WorkshopSession
from tests import factories

LONG_LENGTH = 100_000
# Port used in HTML-only checks; the PDF tests put the port of a real recording server here.
DEFAULT_LOOPBACK_PORT = 9


@dataclass(frozen=True)
class Payload:
    key: str
    text: str
    marker: str
    # The part that must be visible as text where the field is shown (whole text by default).
    probe: str = ""
    # PostgreSQL cannot store NUL; a form must refuse it with a message.
    storable: bool = True

    @property
    def shown(self) -> str:
        return self.probe or self.text


def loopback_payload(port: int = DEFAULT_LOOPBACK_PORT) -> Payload:
    text = (
        f'kvx16 <img src="http://127.0.0.1:{port}/kvx16.png">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/kvx16.css">'
    )
    return Payload("loopback_url", text, "kvx16")


LONG = "kvx12" + "A" * (LONG_LENGTH - 5)

PAYLOADS: list[Payload] = [
    Payload("script", '<script>alert("kvx01")</script>', "kvx01"),
    Payload("img_onerror", "<img src=x onerror=alert('kvx02')>", "kvx02"),
    Payload("javascript_link", "<a href=\"javascript:alert('kvx03')\">kvx03</a>", "kvx03"),
    Payload("svg_onload", "<svg onload=alert('kvx04')>", "kvx04"),
    Payload("svg_script", "<svg><script>alert('kvx05')</script></svg>", "kvx05"),
    Payload("style_tag", "<style>body{background:url(javascript:alert('kvx06'))}</style>", "kvx06"),
    Payload(
        "attribute_breakout",
        "\" style=\"x:expression(alert('kvx07'))\" onmouseover=\"alert('kvx07')",
        "kvx07",
    ),
    Payload("django_variable", "{{ request.user }} kvx08", "kvx08"),
    Payload("django_tag", "{% debug %} kvx09", "kvx09"),
    Payload("js_template", "${7*7} #{7*7} kvx10", "kvx10"),
    Payload("rtl_override", "kvx11 \u202egpj.exe\u202c \u200fslut", "kvx11"),
    # Fields cut it to their length; what every field shows is at least its first 100 characters.
    Payload("long", LONG, "kvx12", probe=LONG[:100]),
    Payload("nul", "kvx13\x00efter", "kvx13", storable=False),
    Payload("control_chars", "kvx14\x01\x07\x08\x1b[31m\x7fslut", "kvx14"),
    Payload("file_url", 'kvx15 <img src="file:///etc/passwd">', "kvx15"),
    loopback_payload(),
    Payload(
        "tag_breakout",
        "'\"></title></textarea></script></style><img src=x onerror=alert('kvx17')>",
        "kvx17",
    ),
]

BY_KEY = {p.key: p for p in PAYLOADS}
STORABLE = [p for p in PAYLOADS if p.storable]

# A spreadsheet runs a cell starting with one of these as a formula (CSV/XLSX injection).
FORMULA_PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-1+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '=HYPERLINK("http://127.0.0.1/","klicka")',
]


def short(payload: Payload, limit: int) -> str:
    """The payload cut to a field's length, keeping its marker (for fields that are limited)."""
    return payload.text if len(payload.text) <= limit else payload.text[:limit]


def fits(payload: Payload, limit: int) -> bool:
    return len(payload.text) <= limit and payload.storable


# --- The checker -------------------------------------------------------------------------------

MARKER_RE = re.compile(r"kvx\d\d")
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
# Inside these, text is not shown as text: a marker there means the payload became markup.
RAW_CONTAINERS = {"script", "style", "svg", "math", "iframe", "object", "embed", "template"}
URL_ATTRS = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
    "lowsrc",
    "dynsrc",
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "file:", "data:text/html")
JSON_SCRIPT_TYPES = {"application/json", "application/ld+json"}
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")


class _Scanner(HTMLParser):
    def __init__(self, forbidden_fragments: tuple[str, ...]) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.problems: list[str] = []
        self.text: list[str] = []
        self.forbidden = forbidden_fragments
        self.script_buffer: list[str] = []

    # Elements -----------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_element(tag, attrs)
        if tag not in VOID:
            self.stack.append((tag, dict(attrs)))
            if tag == "script":
                self.script_buffer = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_element(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.stack and self.stack[-1][0] == "script":
            self._check_script(self.stack[-1][1], "".join(self.script_buffer))
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        open_tags = {t for t, _a in self.stack}
        if "script" in open_tags:
            self.script_buffer.append(data)
            return
        raw = open_tags & RAW_CONTAINERS
        if raw and MARKER_RE.search(data):
            self.problems.append(
                f"text {MARKER_RE.search(data).group()} inside <{sorted(raw)[0]}>: {data[:80]!r}"
            )
        if "style" not in open_tags:
            self.text.append(data)

    # Checks ---------------------------------------------------------------------------------
    def _check_script(self, attrs: dict, body: str) -> None:
        kind = (attrs.get("type") or "").strip().lower()
        if kind in JSON_SCRIPT_TYPES:
            # Data for the page's own scripts: harmless while it stays one JSON document.
            if body.strip():
                try:
                    json.loads(body)
                except ValueError:
                    self.problems.append(f"JSON script broken open: {body[:80]!r}")
            return
        found = MARKER_RE.search(body)
        if found:
            self.problems.append(f"<script> running {found.group()}: {body[:80]!r}")

    def _check_element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            name = name.lower()
            found = MARKER_RE.search(value)
            if name.startswith("on") and (found or "alert(" in value):
                self.problems.append(f"<{tag} {name}={value[:60]!r}> event handler from input")
            if name == "style" and (found or "expression(" in value or "javascript:" in value):
                self.problems.append(f"<{tag} style={value[:60]!r}> style from input")
            if name in URL_ATTRS:
                squashed = _URL_NOISE.sub("", value).lower()
                if squashed.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value[:60]!r}> dangerous URL")
                if tag in ("img", "image", "iframe", "script", "input") and value == "x":
                    self.problems.append(f"<{tag} {name}=x> element from input")
            # Only where a browser fetches: the same text escaped in alt, title or a data
            # attribute is harmless.
            fetched = name in URL_ATTRS or name == "style"
            if fetched and any(fragment in value for fragment in self.forbidden):
                self.problems.append(f"<{tag} {name}={value[:60]!r}> URL from input")
            if tag in RAW_CONTAINERS - {"script"} and found:
                self.problems.append(f"<{tag} {name}=…{found.group()}…> element from input")


@dataclass
class ScanResult:
    problems: list[str]
    text: str


def scan(html: str, forbidden_fragments: tuple[str, ...] = ()) -> ScanResult:
    fragments = ("file:///etc/passwd", f"127.0.0.1:{DEFAULT_LOOPBACK_PORT}/", *forbidden_fragments)
    scanner = _Scanner(tuple(fragments))
    scanner.feed(html)
    scanner.close()
    return ScanResult(scanner.problems, "".join(scanner.text))


def _visible(text: str) -> str:
    # Browsers and templates may wrap long text; compare without whitespace differences.
    return re.sub(r"\s+", "", text)


def assert_inert(
    html: str | bytes,
    shown: list[Payload] = (),
    *,
    where: str = "",
    forbidden_fragments: tuple[str, ...] = (),
) -> ScanResult:
    """No active markup from the payloads; each payload in ``shown`` visible as literal text."""
    if isinstance(html, bytes):
        html = html.decode("utf-8")
    result = scan(html, forbidden_fragments)
    assert not result.problems, f"{where}: active markup from input: {result.problems[:5]}"
    visible = _visible(result.text)
    for payload in shown:
        assert _visible(payload.shown) in visible, (
            f"{where}: {payload.key} ({payload.marker}) not shown as text"
        )
    return result


class Tally:
    """Counts payload × field attempts and pages parsed, for the report."""

    def __init__(self) -> None:
        self.tries: Counter[str] = Counter()
        self.pages: Counter[str] = Counter()

    def tried(self, field: str, n: int = 1) -> None:
        self.tries[field] += n

    def parsed(self, page: str) -> None:
        self.pages[page] += 1

    def summary(self) -> str:
        lines = [
            f"payload × field attempts: {sum(self.tries.values())} "
            f"over {len(self.tries)} fields; pages parsed: {sum(self.pages.values())} "
            f"({len(self.pages)} kinds)"
        ]
        lines += [f"  {field:<45} {n}" for field, n in sorted(self.tries.items())]
        return "\n".join(lines)


TALLY = Tally()


# --- The harness: fetch and check pages, refused forms, PDF HTML ------------------------------

PAYLOAD_IDS = [p.key for p in PAYLOADS]
NUL_MESSAGES = ("NUL", "Null", "null")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fetch(client: Client, url: str, *, status: int = 200, where: str = "", **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code != 500, f"{where or url}: 500"
    assert response.status_code == status, f"{where or url}: {response.status_code}"
    TALLY.parsed(where or url.split("?")[0])
    return response


def check(client: Client, url: str, shown: list[Payload], where: str, **kwargs):
    response = fetch(client, url, where=where, **kwargs)
    return assert_inert(response.content, shown, where=where)


def refused_with_message(response, *fields: str) -> None:
    """A form answered with its errors (not 500), naming the refused fields."""
    assert response.status_code in (200, 400), response.status_code
    form = response.context["form"]
    assert form.errors, "the form accepted what it should refuse"
    for name in fields:
        assert name in form.errors, (name, form.errors)
    assert_inert(response.content, where="refused form")


def pdf_html(document: PdfDocument) -> str:
    kind = kinds.get(document.kind)
    return render_template_to_html(kind.template, kind.build(document).context)


def hostile_session(trainer, **material) -> WorkshopSession:
    """A session in three days on ``material`` (module= or worksheet=), to show input in."""
    start = timezone.now() + timedelta(days=3)
    return WorkshopSession.objects.create(
        trainer=trainer,
        title="Workshop",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Stadshuset",
        capacity=3,
        **material,
    )


def progress_csv(client: Client, session: WorkshopSession) -> str:
    """The group progress of ``session`` as the trainer exports it (CSV)."""
    response = fetch(
        client, reverse("workshops:progress_export_csv", args=(session.pk,)), where="csv"
    )
    return response.content.decode("utf-8-sig")


# --- Form data for the Wagtail admin --------------------------------------------------------------


def contentstate(text: str, link_text: str = "") -> str:
    """Draftail's JSON for a paragraph of ``text`` and a link whose URL is hostile."""
    blocks = [
        {
            "key": uuid.uuid4().hex[:5],
            "type": "unstyled",
            "depth": 0,
            "text": text,
            "inlineStyleRanges": [],
            "entityRanges": [],
            "data": {},
        }
    ]
    entity_map = {}
    if link_text:
        blocks.append(
            {
                "key": uuid.uuid4().hex[:5],
                "type": "unstyled",
                "depth": 0,
                "text": link_text,
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 0, "length": len(link_text), "key": 0}],
                "data": {},
            }
        )
        entity_map["0"] = {
            "type": "LINK",
            "mutability": "MUTABLE",
            "data": {"url": "javascript:alert('kvx03')"},
        }
    return json.dumps({"blocks": blocks, "entityMap": entity_map})


def listblock(items: list) -> dict:
    data = {
        str(i): {"value": v, "deleted": "", "order": str(i), "id": ""} for i, v in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def body_stream(p: Payload, image_id: int) -> dict:
    """Every block of ``body_blocks()``, each text field holding the payload."""
    rich = contentstate(p.text, link_text="länk kvx03")
    return streamfield(
        [
            ("heading", {"text": short(p, 120), "level": "h2"}),
            ("paragraph", rich),
            (
                "figure",
                {
                    "image": {"image": str(image_id), "alt_text": short(p, 255), "decorative": ""},
                    "caption": short(p, 250),
                },
            ),
            ("section", {"heading": short(p, 200), "summary": rich, "more": rich}),
            (
                "testimonials",
                {
                    "heading": short(p, 200),
                    "quotes": listblock([{"quote": short(p, 800), "role": short(p, 150)}]),
                    "more": rich,
                },
            ),
            (
                "key_figures",
                {
                    "heading": short(p, 120),
                    "figures": listblock([{"value": short(p, 20), "label": short(p, 200)}]),
                    "source": short(p, 250),
                },
            ),
            (
                "resource_links",
                {
                    "heading": short(p, 120),
                    "links": listblock(
                        [
                            {
                                "title": short(p, 150),
                                "url": "https://www.example.org/statistik",
                                "description": short(p, 400),
                            }
                        ]
                    ),
                },
            ),
        ]
    )


PAGE_META = {"seo_title": "", "search_description": "", "go_live_at": "", "expire_at": ""}
BODY_BLOCKS = 7


@dataclass(frozen=True)
class PageForm:
    """A page type's add form in the Wagtail admin: the model, and the form data of a payload
    (returned with the number of text fields it filled)."""

    model: type
    build: Callable[[Payload, str, int], tuple[dict, int]]
    app: str
    model_name: str


def add_page_through_the_admin(
    kind: str, form: PageForm, payload: Payload, parent, editor, superuser
):
    """An editor adds a page of ``kind`` under ``parent`` with ``payload`` in every text field,
    saves a second draft, and the administrator publishes it; then every page that shows it —
    public, the parent, the site search, the admin's listings, search, history, revision
    comparison, edit form and dashboard — must be inert. Returns the page (None when the
    payload was refused, as it must be when it cannot be stored)."""
    image = factories.SiteImageFactory()
    slug = f"fientlig-{kind}"
    data, fields = form.build(payload, slug, image.pk)
    TALLY.tried(f"page:{kind}", fields)
    editor_client = signed_in(editor)
    add_url = reverse("wagtailadmin_pages:add", args=(form.app, form.model_name, parent.pk))

    response = editor_client.post(add_url, data)

    if not payload.storable:
        refused_with_message(response, "title")
        assert any(m in response.content.decode() for m in NUL_MESSAGES)
        assert not form.model.objects.filter(slug=slug).exists()
        return None
    assert response.status_code == 302, response.context["form"].errors.as_json()[:2000]
    page = form.model.objects.get(slug=slug)
    # A second draft, so history and the revision comparison have two versions to show.
    data["title"] = short(payload, 250) + " v2"
    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert response.status_code == 302
    revisions = list(page.revisions.order_by("created_at", "pk"))
    revisions[-1].publish(user=superuser)
    page.refresh_from_db()

    # The public page and the pages that list it, signed out.
    anonymous = Client()
    check(anonymous, page.url, [payload], f"public {kind}")
    check(anonymous, parent.specific.url, [], f"public parent of {kind}")
    check(anonymous, reverse("search") + "?q=kvx", [], "site search")

    # The admin: listings, search, history, revision comparison, edit form, dashboard.
    admin = signed_in(superuser)
    for url, where, shown in [
        (reverse("wagtailadmin_explore", args=(parent.pk,)), "admin listing", [payload]),
        (reverse("wagtailadmin_pages:search") + "?q=kvx", "admin page search", []),
        (reverse("wagtailadmin_pages:history", args=(page.pk,)), "admin page history", []),
        (
            reverse(
                "wagtailadmin_pages:revisions_compare",
                args=(page.pk, revisions[0].pk, revisions[-1].pk),
            ),
            "admin revisions compare",
            [],
        ),
        (reverse("wagtailadmin_pages:edit", args=(page.pk,)), "admin edit form", []),
        (reverse("wagtailadmin_home"), "admin dashboard", []),
    ]:
        check(admin, url, shown, f"{where} ({kind})")
    check(editor_client, reverse("wagtailadmin_explore", args=(parent.pk,)), [], "editor listing")
    return page
