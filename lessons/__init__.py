"""Learning, the top layer: the content's page types (``pages``), the learner's path through a
module with its progress, completion and certificate (``learning``), and trainers' workshop
sessions (``workshops``).

May import: ``worksheets`` and the platform (``kompetensverkstad``). It plugs into their seams
from ``LessonsConfig.ready()``: document kinds, a download grant on worksheet PDFs, the
``worksheet_submitted`` signal and the sweep's pending work; the pages of the lower layers show
what it offers through its template tags (``templatetags/lessons_tags.py``).
"""
