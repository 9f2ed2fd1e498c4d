"""Deleting stored files together with the rows that held them, crash-safe: the names are
written in a ``FileDeletion`` row in the caller's transaction and deleted after commit by
``privacy.tasks.delete_erased_files``; the sweep finishes a row a crash left behind. Erasure
does the same inline; culling (retention) calls this."""

from collections.abc import Iterable

from kompetensverkstad.jobs.queue import enqueue_on_commit

from ..models import FileDeletion


def delete_files_after_commit(files: Iterable[tuple[str, str]]) -> FileDeletion | None:
    """``files`` are (storage alias, name) pairs; nothing is written for none."""
    names = sorted({(alias, name) for alias, name in files if name})
    if not names:
        return None
    from ..tasks import delete_erased_files

    deletion = FileDeletion.objects.create(names=[list(pair) for pair in names])
    enqueue_on_commit(delete_erased_files, deletion.pk)
    return deletion
