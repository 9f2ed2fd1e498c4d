"""Retention by decision (gallringsbeslut): how long each kind of data is kept, set by
administrators in the admin (``models.RetentionSettings``), and the culling that removes what
is older — in bounded batches, idempotent, with a dry run and a log of what went (counts only).

What a kind of data is (which rows, by which date, how they are removed) is registered by the
app that owns it (``kinds.register``) from its ``AppConfig.ready()``; the platform registers the
accounts and the access log, and imports no app.

May import: the rest of the platform; nothing of ``worksheets`` or ``lessons``.
"""
