"""The SAML 2.0 service provider (pysaml2): the site's keys and SP configuration built from the
enabled providers' last good metadata (``config``), the identity providers' metadata kept fresh
(``metadata``), the Swedish federations' attributes read into a ``VerifiedIdentity``
(``attributes``), and the views (``views``): metadata, sign-in, assertion consumer, logout.

May import: the rest of the platform (``kompetensverkstad``); no app built on it.
"""
