"""The provider in a process of its own, as the tests start it (``ProviderProcess``), and a
person signing in at its form without a browser (``sign_in``)."""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin

import requests

from .identities import CLIENT_ID, CLIENT_SECRET, ORGANISATION_CLAIM, ROLES_CLAIM

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ProviderProcess:
    """``python -m tests.support.oidc_provider.serve`` on a free port with a temporary data
    folder; ``start()`` returns when discovery answers."""

    client_id = CLIENT_ID
    client_secret = CLIENT_SECRET
    organisation_claim = ORGANISATION_CLAIM
    roles_claim = ROLES_CLAIM

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.issuer = f"http://127.0.0.1:{self.port}/o"
        self.data = Path(tempfile.mkdtemp(prefix="oidc-provider-"))
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> "ProviderProcess":
        log = (self.data / "server.log").open("w")
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "tests.support.oidc_provider.serve",
                "--port",
                str(self.port),
                "--data",
                str(self.data),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"OIDC provider exited: {self.log()}")
            try:
                if requests.get(self.discovery_url, timeout=2).ok:
                    return self
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"OIDC provider did not answer on port {self.port}")
            time.sleep(0.1)

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def log(self) -> str:
        return (self.data / "server.log").read_text(errors="replace")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def sign_in(authorize_url: str, username: str, password: str) -> str:
    """Follow ``authorize_url`` as a browser would, sign in at the provider's form, and return
    the URL the provider sends the person back to (the platform's callback with code and
    state), without following it."""
    session = requests.Session()
    response = session.get(authorize_url, timeout=10)
    response.raise_for_status()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
    next_url = re.search(r'name="next" value="([^"]*)"', response.text)
    assert token and next_url, f"no sign-in form at {response.url}"
    response = session.post(
        response.url,
        data={
            "csrfmiddlewaretoken": token.group(1),
            "next": next_url.group(1).replace("&amp;", "&"),
            "username": username,
            "password": password,
        },
        headers={"Referer": response.url},
        allow_redirects=False,
        timeout=10,
    )
    # Signed in: to the authorize endpoint again, which sends the person back to the client.
    while response.is_redirect:
        location = urljoin(response.url, response.headers["Location"])
        if not location.startswith(authorize_url.split("/o/")[0]):
            return location
        response = session.get(location, allow_redirects=False, timeout=10)
    raise AssertionError(f"the provider did not send the person back: {response.status_code}")
