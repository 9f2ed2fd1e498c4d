"""The people the provider knows and the claims it says about them.

Each is what a municipality's directory (Entra ID, say) would hold: a name, an e-mail, the
organisation they work for and their roles. ``token`` changes the ID token the provider
issues for that person, so that a test can see the platform refuse a forged or misdirected
token coming from a real provider: ``"untrusted_key"`` signs it with a key the provider does
not publish; ``"aud"`` and ``"iss"`` replace those claims.
"""

from dataclasses import dataclass, field

CLIENT_ID = "kompetensverkstad"
CLIENT_SECRET = "demo-oidc-hemlighet"
# The claims the provider puts in the ID token beside the standard ones; the platform's
# identity provider settings name them (README, "Sign-in through the municipality").
ORGANISATION_CLAIM = "organisation"
ROLES_CLAIM = "roles"


@dataclass(frozen=True)
class Identity:
    username: str
    password: str
    given_name: str
    family_name: str
    email: str
    organisation: str
    roles: tuple[str, ...] = ()
    token: dict = field(default_factory=dict)
    # Shown in the list printed at start (only the demo identities are printed).
    demo: bool = True

    def claims(self) -> dict:
        return {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "name": f"{self.given_name} {self.family_name}",
            "email": self.email,
            "email_verified": True,
            ORGANISATION_CLAIM: self.organisation,
            ROLES_CLAIM: list(self.roles),
        }


IDENTITIES = [
    Identity(
        "karin.kalmar",
        "demo-karin",
        "Karin",
        "Lindqvist",
        "karin.lindqvist@kalmar.example.org",
        "Kalmar kommun",
    ),
    Identity(
        "olof.kalmar",
        "demo-olof",
        "Olof",
        "Nyberg",
        "olof.nyberg@kalmar.example.org",
        "Kalmar kommun",
        roles=("utbildare",),
    ),
    Identity(
        "sara.vastervik",
        "demo-sara",
        "Sara",
        "Holm",
        "sara.holm@vastervik.example.org",
        "Västerviks kommun",
    ),
    # For the tests: the same person, but the token the provider hands out is not one the
    # platform may accept.
    Identity(
        "forfalskad",
        "test-forfalskad",
        "Fia",
        "Förfalskad",
        "fia@kalmar.example.org",
        "Kalmar kommun",
        token={"untrusted_key": True},
        demo=False,
    ),
    Identity(
        "fel.mottagare",
        "test-fel-mottagare",
        "Fredrik",
        "Felmottagare",
        "fredrik@kalmar.example.org",
        "Kalmar kommun",
        token={"aud": "en-annan-tjanst"},
        demo=False,
    ),
    Identity(
        "fel.utfardare",
        "test-fel-utfardare",
        "Frida",
        "Felutfärdare",
        "frida@kalmar.example.org",
        "Kalmar kommun",
        token={"iss": "https://idp.example.org/annan"},
        demo=False,
    ),
]

BY_USERNAME = {identity.username: identity for identity in IDENTITIES}
