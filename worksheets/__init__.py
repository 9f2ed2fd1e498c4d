"""Worksheets, the middle layer: the worksheet page and its question blocks, learners' answers
(drafts and submitted versions) and their PDFs.

May import: the platform (``kompetensverkstad``); nothing of ``lessons``. What lessons needs to
know it is told: ``signals.worksheet_submitted`` is sent inside the hand-in's transaction.
"""
