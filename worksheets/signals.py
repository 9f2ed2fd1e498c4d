"""What the worksheet app tells apps built on it.

``worksheet_submitted`` is sent inside the hand-in's transaction (``answering.submit``), so a
receiver's writes commit or roll back with the submission itself. Arguments: ``user``, ``page``
(the WorksheetPage), ``response`` and ``submission`` (its new version).
"""

from django.dispatch import Signal

worksheet_submitted = Signal()
