"""Workshop sessions that trainers lead: the session and its participants (``models``), joining
by code, sharing answers, attendance, cancelling, the agenda, the session pack, group progress,
the calendar file, and the trainer's and participant's views.

May import: ``lessons.learning`` (attendance completes steps through its one interface),
``lessons.pages``, ``worksheets`` and the platform.
"""
