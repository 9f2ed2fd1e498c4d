"""A real SAML identity provider for the tests: pysaml2's IdP (``kompetensverkstad.demo.saml_idp``,
the one ``make run`` starts) on a free local port, with its own keys made here and shared by a
module, and the site's SP keys made once per session so the IdP can trust the SP's metadata.
A conftest imports the fixtures it needs."""

import html
import re
import shutil
import socket
from pathlib import Path

import pytest

from kompetensverkstad.accounts.federation.saml.config import generate_key_pair
from kompetensverkstad.demo.saml_idp import IdentityProviderApp, serve_in_thread


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def sp_keys(tmp_path_factory) -> tuple[str, str]:
    folder = tmp_path_factory.mktemp("sp-keys")
    key, cert = folder / "sp-key.pem", folder / "sp-cert.pem"
    generate_key_pair(key, cert, "Testtjänst")
    return str(key), str(cert)


@pytest.fixture
def sp_settings(settings, sp_keys) -> None:
    """The site signs and decrypts with the session's SP keys (those the IdP trusts)."""
    settings.KV_SAML_KEY_FILE, settings.KV_SAML_CERT_FILE = sp_keys


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    if shutil.which("xmlsec1") is None:
        pytest.skip("xmlsec1 saknas (apt-get install xmlsec1)")
    port = free_port()
    app = IdentityProviderApp(f"http://127.0.0.1:{port}", Path(tmp_path_factory.mktemp("idp")))
    httpd = serve_in_thread(app, "127.0.0.1", port)
    yield app
    httpd.shutdown()
    httpd.server_close()


def hidden_fields(page: str) -> dict[str, str]:
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }
