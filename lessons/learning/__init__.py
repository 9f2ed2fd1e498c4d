"""The learner's path: progress per step and the event log (``models``), recording on the request
side (``recording``), the one rule for "done" (``rules``), completion on the worker side
(``completion``, ``tasks``), the certificate (``certificates``), where a learner is in a module
(``navigation``), and the learner's own views (``views``, ``urls``).

May import: ``lessons.pages``, ``worksheets`` and the platform; not ``lessons.workshops``.
"""
