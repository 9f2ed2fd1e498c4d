"""A small, real SAML 2.0 identity provider (pysaml2's ``Server``) for ``make run`` and the tests.

It publishes its metadata, takes signed AuthnRequests (HTTP-Redirect or HTTP-POST), lets the
person pick one of a few fictional identities (no password: it is a demo), and answers the SP's
assertion consumer with a signed, encrypted assertion carrying the Swedish federations'
attributes. It answers the SP's LogoutRequest too.

Tests turn one knob, ``IdentityProviderApp.mode``, to make it misbehave as a broken or hostile
IdP would: ``"expired"`` (the assertion's lifetime is over), ``"audience"`` (issued for another
SP), ``"tamper"`` (the signed assertion altered afterwards), ``"unknown"`` (signed by an IdP with
its own keys and entity id that the SP does not know).

Run alone: ``python -m kompetensverkstad.demo.saml_idp --port 8001 --sp http://127.0.0.1:8000``.
"""

import argparse
import contextlib
import html
import logging
import re
import sys
import threading
import time
import urllib.request
import warnings
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

# As in settings/base.py: pysaml2 names a cipher mode cryptography has moved (run alone, this
# module imports pysaml2 before any settings do).
warnings.filterwarnings("ignore", message="CFB has been moved")

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT  # noqa: E402
from saml2 import assertion as saml2_assertion  # noqa: E402
from saml2.config import IdPConfig  # noqa: E402
from saml2.metadata import create_metadata_string  # noqa: E402
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID  # noqa: E402
from saml2.server import Server  # noqa: E402
from saml2.time_util import TIME_FORMAT  # noqa: E402

logger = logging.getLogger(__name__)

DEMO_PORT = 8001
SIGN_ALG = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
DIGEST_ALG = "http://www.w3.org/2001/04/xmlenc#sha256"
PASSWORD_CLASS = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"

# Fictional staff, with the attributes a Swedish municipality's IdP releases (friendly names;
# the IdP sends them as urn:oid names). load_demo maps their organisations to municipalities.
DEMO_IDENTITIES: dict[str, dict[str, list[str]]] = {
    "anna": {
        "eduPersonPrincipalName": ["anna.berg@kalmar.example.org"],
        "givenName": ["Anna"],
        "sn": ["Berg"],
        "mail": ["anna.berg@example.org"],
        "o": ["Kalmar kommun"],
        "norEduOrgNIN": ["SE2120000803"],
        "eduPersonScopedAffiliation": ["employee@kalmar.example.org"],
        "eduPersonEntitlement": ["urn:example:kompetensverkstad:utbildare"],
    },
    "erik": {
        "eduPersonPrincipalName": ["erik.lind@vastervik.example.org"],
        "givenName": ["Erik"],
        "sn": ["Lind"],
        "mail": ["erik.lind@example.org"],
        "o": ["Västerviks kommun"],
        "eduPersonScopedAffiliation": ["employee@vastervik.example.org"],
    },
    "okand": {
        "eduPersonPrincipalName": ["sara.ek@annanstans.example.org"],
        "givenName": ["Sara"],
        "sn": ["Ek"],
        "mail": ["sara.ek@example.org"],
        "o": ["Annanstans kommun"],
    },
}
DEMO_LABELS = {
    "anna": "Anna Berg, Kalmar kommun (utbildare)",
    "erik": "Erik Lind, Västerviks kommun",
    "okand": "Sara Ek, en kommun som inte är ansluten",
}


OTHER_AUDIENCE = "https://en-annan-tjanst.example.org/sp"


@contextlib.contextmanager
def _clock_behind(seconds: int):
    """The IdP's assertions dated ``seconds`` ago (an IdP with a stale clock, or an assertion
    kept too long): pysaml2's assertion module reads the time through these two names."""
    if seconds == 0:
        yield
        return
    real_instant, real_in_a_while = saml2_assertion.instant, saml2_assertion.in_a_while

    def instant(format=TIME_FORMAT, time_stamp=0):  # noqa: A002 - pysaml2's parameter name
        return real_instant(format, time_stamp or int(time.time()) - seconds)

    def in_a_while(**lifetime):
        lifetime["seconds"] = lifetime.get("seconds", 0) - seconds
        return real_in_a_while(**lifetime)

    saml2_assertion.instant, saml2_assertion.in_a_while = instant, in_a_while
    try:
        yield
    finally:
        saml2_assertion.instant, saml2_assertion.in_a_while = real_instant, real_in_a_while


def _idp_config(entity_id: str, base: str, key: str, cert: str, sp_metadata: list[str], **policy):
    config = IdPConfig()
    config.load(
        {
            "entityid": entity_id,
            "key_file": key,
            "cert_file": cert,
            "encryption_keypairs": [{"key_file": key, "cert_file": cert}],
            "service": {
                "idp": {
                    "name": "Demo-IdP",
                    "endpoints": {
                        "single_sign_on_service": [
                            (f"{base}/sso/redirect", BINDING_HTTP_REDIRECT),
                            (f"{base}/sso/post", BINDING_HTTP_POST),
                        ],
                        "single_logout_service": [(f"{base}/slo/redirect", BINDING_HTTP_REDIRECT)],
                    },
                    "want_authn_requests_signed": True,
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "policy": {
                        "default": {
                            "lifetime": policy.get("lifetime", {"minutes": 5}),
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
            "metadata": {"inline": sp_metadata},
            "signing_algorithm": SIGN_ALG,
            "digest_algorithm": DIGEST_ALG,
        }
    )
    return config


class IdentityProviderApp:
    """The IdP as a WSGI app. ``sp_metadata`` (XML strings) is trusted; when empty it is
    fetched from ``sp_metadata_url`` on first use (the SP may start after the IdP)."""

    def __init__(
        self,
        base_url: str,
        key_dir: Path,
        *,
        sp_metadata: list[str] | None = None,
        sp_metadata_url: str = "",
        identities: dict[str, dict[str, list[str]]] | None = None,
    ) -> None:
        from kompetensverkstad.accounts.federation.saml.config import generate_key_pair

        self.base_url = base_url.rstrip("/")
        self.entity_id = f"{self.base_url}/metadata"
        self.sp_metadata = list(sp_metadata or [])
        self.sp_metadata_url = sp_metadata_url
        self.identities = identities or DEMO_IDENTITIES
        self.mode = ""
        # Seconds the IdP's clock is behind (negative: ahead of) the SP's.
        self.clock_offset = 0
        self.answers: list[str] = []  # every SAMLResponse sent, for tests to replay
        key_dir.mkdir(parents=True, exist_ok=True)
        self.key, self.cert = str(key_dir / "idp-key.pem"), str(key_dir / "idp-cert.pem")
        self.rogue_key = str(key_dir / "rogue-key.pem")
        self.rogue_cert = str(key_dir / "rogue-cert.pem")
        for key, cert, name in (
            (self.key, self.cert, "Demo-IdP"),
            (self.rogue_key, self.rogue_cert, "Okand IdP"),
        ):
            if not Path(key).exists():
                generate_key_pair(Path(key), Path(cert), name)
        self._lock = threading.Lock()

    # --- pysaml2 servers ---

    def _sp_metadata(self) -> list[str]:
        if not self.sp_metadata and self.sp_metadata_url:
            with urllib.request.urlopen(self.sp_metadata_url, timeout=10) as response:  # noqa: S310
                self.sp_metadata = [response.read().decode()]
        return self.sp_metadata

    def server(self, *, other_audience: str = "", **policy) -> Server:
        sp_metadata = self._sp_metadata()
        if other_audience:
            # Another service at the same address with the same keys: the assertion is made
            # for it and sent to this SP, as a mix-up or a forwarded assertion would be.
            ours = re.search(r'entityID="([^"]+)"', sp_metadata[0]).group(1)
            sp_metadata = [*sp_metadata, sp_metadata[0].replace(ours, other_audience)]
        config = _idp_config(
            self.entity_id, self.base_url, self.key, self.cert, sp_metadata, **policy
        )
        return Server(config=config)

    def rogue_server(self) -> Server:
        config = _idp_config(
            "https://okand-idp.example.org/metadata",
            self.base_url,
            self.rogue_key,
            self.rogue_cert,
            self._sp_metadata(),
        )
        return Server(config=config)

    def metadata_xml(self) -> str:
        config = _idp_config(self.entity_id, self.base_url, self.key, self.cert, [])
        return create_metadata_string(None, config=config, valid=24 * 30, sign=False).decode()

    # --- WSGI ---

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        form = {}
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length).decode()
            form = {k: v[0] for k, v in parse_qs(body).items()}
        try:
            with self._lock:
                if path == "/metadata":
                    return self._reply(
                        start_response, self.metadata_xml(), "application/samlmetadata+xml"
                    )
                if path == "/sso/redirect":
                    return self._choose(start_response, query, BINDING_HTTP_REDIRECT)
                if path == "/sso/post" and method == "POST":
                    return self._choose(start_response, form, BINDING_HTTP_POST)
                if path == "/sso/answer" and method == "POST":
                    return self._answer(start_response, form)
                if path == "/slo/redirect":
                    return self._logout(start_response, query)
        except Exception as error:  # noqa: BLE001 - an IdP's error page, not a crash
            logger.exception("Demo IdP error")
            return self._reply(
                start_response, f"<p>Fel: {html.escape(str(error))}</p>", status="400 Bad Request"
            )
        return self._reply(start_response, "Finns inte", status="404 Not Found")

    @staticmethod
    def _reply(start_response, text: str, content_type="text/html; charset=utf-8", status="200 OK"):
        data = text.encode()
        start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(data)))])
        return [data]

    def _parse(self, fields: dict, binding: str):
        return self.server().parse_authn_request(
            fields["SAMLRequest"],
            binding,
            relay_state=fields.get("RelayState"),
            sigalg=fields.get("SigAlg"),
            signature=fields.get("Signature"),
        )

    def _choose(self, start_response, fields: dict, binding: str):
        # Checks the request's signature before showing anything.
        self._parse(fields, binding)
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in {**fields, "binding": binding}.items()
        )
        buttons = "".join(
            f'<p><button type="submit" name="user" value="{key}">'
            f"{html.escape(DEMO_LABELS.get(key, key))}</button></p>"
            for key in self.identities
        )
        page = (
            '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
            "<title>Demo-IdP: välj identitet</title></head><body><main>"
            "<h1>Demo-IdP</h1><p>En påhittad kommuns inloggning. Välj vem du loggar in som:</p>"
            f'<form method="post" action="{self.base_url}/sso/answer">{hidden}{buttons}</form>'
            "</main></body></html>"
        )
        return self._reply(start_response, page)

    def _answer(self, start_response, form: dict):
        binding = form.get("binding", BINDING_HTTP_REDIRECT)
        request = self._parse(form, binding)
        user = form["user"]
        identity = self.identities[user]
        mode = self.mode
        server = self.server()
        if mode == "audience":
            server = self.server(other_audience=OTHER_AUDIENCE)
        elif mode == "unknown":
            server = self.rogue_server()
        args = server.response_args(request.message, [BINDING_HTTP_POST])
        if mode == "audience":
            args["sp_entity_id"] = OTHER_AUDIENCE
        subject = identity["eduPersonPrincipalName"][0]
        with _clock_behind(3600 if mode == "expired" else self.clock_offset):
            response = server.create_authn_response(
                identity,
                userid=subject,
                name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=subject),
                authn={"class_ref": PASSWORD_CLASS, "authn_auth": self.entity_id},
                sign_assertion=True,
                sign_response=mode != "tamper",
                encrypt_assertion=mode != "tamper",
                encrypt_assertion_self_contained=True,
                sign_alg=SIGN_ALG,
                digest_alg=DIGEST_ALG,
                **args,
            )
        xml = str(response)
        if mode == "tamper":
            # Someone changes the signed assertion on the way: another organisation.
            xml, count = re.subn(r">Kalmar kommun<", ">Växjö kommun<", xml)
            if not count:
                xml = xml.replace(identity["sn"][0], "Manipulerad", 1)
        http_args = server.apply_binding(
            BINDING_HTTP_POST, xml, args["destination"], form.get("RelayState", ""), response=True
        )
        page = http_args["data"]
        found = re.search(r'name="SAMLResponse" value="([^"]+)"', page)
        if found:
            self.answers.append(found.group(1))
        return self._reply(start_response, page)

    def _logout(self, start_response, query: dict):
        server = self.server()
        request = server.parse_logout_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        response = server.create_logout_response(request.message, [BINDING_HTTP_REDIRECT])
        destination = server.metadata.single_logout_service(
            request.message.issuer.text, BINDING_HTTP_REDIRECT, "spsso"
        )[0]["location"]
        http_args = server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(response),
            destination,
            query.get("RelayState", ""),
            response=True,
            sign=True,
            sigalg=SIGN_ALG,
        )
        location = dict(http_args["headers"])["Location"]
        start_response("302 Found", [("Location", location), ("Content-Length", "0")])
        return [b""]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        logger.debug(format, *args)


class _ThreadingWSGIServer(WSGIServer):
    daemon_threads = True


def serve_in_thread(app: IdentityProviderApp, host: str, port: int):
    """Serve ``app`` on ``host:port`` from a daemon thread; returns the server (``shutdown()``)."""
    from socketserver import ThreadingMixIn

    server_class = type("IdPServer", (ThreadingMixIn, _ThreadingWSGIServer), {})
    httpd = make_server(host, port, app, server_class=server_class, handler_class=_QuietHandler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def demo_base_url(port: int = DEMO_PORT) -> str:
    return f"http://127.0.0.1:{port}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Demo-IdP (SAML 2.0) för make run")
    parser.add_argument("--port", type=int, default=DEMO_PORT)
    parser.add_argument("--sp", default="http://127.0.0.1:8000", help="the site's base URL")
    parser.add_argument("--keys", default="private/demo-idp", help="folder for the IdP's keys")
    options = parser.parse_args(argv)
    app = IdentityProviderApp(
        demo_base_url(options.port),
        Path(options.keys),
        sp_metadata_url=f"{options.sp.rstrip('/')}/konto/saml/metadata/",
    )
    httpd = make_server("127.0.0.1", options.port, app, handler_class=_QuietHandler)
    print(f"Demo-IdP på {app.base_url} (metadata: {app.entity_id})", file=sys.stderr)
    with contextlib.suppress(KeyboardInterrupt):
        httpd.serve_forever()
    return 0


if __name__ == "__main__":
    # Standalone: Django's settings are needed only for the key generator's import path.
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompetensverkstad.settings.dev")
    import django

    django.setup()
    raise SystemExit(main())
