"""Ralph's LRS API on its file-system backend, for the xAPI tests (``uvicorn …ralph_lrs:app``).

Ralph's file-system LRS writes each POST with its default operation, ``create``, into one file
(``fs_lrs.jsonl``): the first batch is stored and every later one is answered 500 ("already
exists and overwrite is not allowed"). A real LRS takes any number of batches, so the backend
appends here — Ralph's own ``append`` operation; its API still drops ids it already holds.
"""

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402  (after the backend is told to append)

__all__ = ["app"]
