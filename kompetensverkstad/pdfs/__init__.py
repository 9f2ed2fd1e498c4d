"""The one PDF pipeline: a document row with a state (``models``), the registry of kinds that the
apps fill (``kinds``), the WeasyPrint renderer (``render``), the task (``tasks``), asking for and
serving a document (``pipeline``) and the learner's document views (``views``, ``urls``).

May import: the rest of the platform; no app built on it (they register their kinds here).
"""
