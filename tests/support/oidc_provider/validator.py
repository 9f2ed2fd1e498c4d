"""What the provider says about a person: the claims of ``identities.py`` in the ID token, and
for the test identities a token the platform must refuse."""

import json

from django.db import router, transaction
from jwcrypto import jwk, jwt
from oauth2_provider.oauth2_validators import OAuth2Validator

from .identities import BY_USERNAME

# A key the provider signs with but never publishes in its JWKS: a token signed with it is
# what a forger holding some other key would hand the platform.
UNTRUSTED_KEY = jwk.JWK.generate(kty="RSA", size=2048)


class Validator(OAuth2Validator):
    # Every claim goes into the ID token, whichever scopes were asked for: the organisation and
    # roles claims belong to no standard scope (as with Entra ID's optional claims).
    oidc_claim_scope = None

    def get_additional_claims(self, request) -> dict:
        identity = BY_USERNAME.get(request.user.get_username())
        return identity.claims() if identity else {}

    def finalize_id_token(self, id_token, token, token_handler, request) -> str:
        claims, expiration_time = self.get_id_token_dictionary(token, token_handler, request)
        id_token.update(**claims)
        if "nonce" not in id_token and request.nonce:
            id_token["nonce"] = request.nonce
        identity = BY_USERNAME.get(request.user.get_username())
        changes = dict(identity.token) if identity else {}
        key = request.client.jwk_key
        # The published key's id: the platform finds that key and the signature fails on it.
        header = {"typ": "JWT", "alg": "RS256", "kid": key.thumbprint()}
        if changes.pop("untrusted_key", False):
            key = UNTRUSTED_KEY
        id_token.update(changes)
        signed = jwt.JWT(header=json.dumps(header), claims=json.dumps(id_token, default=str))
        signed.make_signed_token(key)
        with transaction.atomic(using=router.db_for_write(self._get_id_token_model())):
            request.id_token = request.access_token = self._save_id_token(
                id_token["jti"], request, expiration_time
            )
        return signed.serialize()

    @staticmethod
    def _get_id_token_model():
        from oauth2_provider.models import get_id_token_model

        return get_id_token_model()
