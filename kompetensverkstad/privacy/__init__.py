"""The learner's data and the law: the registry of personal data (what each model holds of a
person, how it is exported, what erasure does with it), erasure itself, and the export.

Each app registers its models in ``AppConfig.ready()`` (``registry.register``); erasure and the
export walk the registry and know nothing of the apps' models. A model with a foreign key to the
user and no rule fails the test suite (``tests/kompetensverkstad/test_privacy_rules.py``).

May import: the rest of the platform; no app built on it (they register their rules here).
"""
