"""Group commit: the messages a server process receives while the database is busy are stored
together, in one transaction, then broadcast in ``seq`` order.

Without it each message costs a thread hop, a connection and a commit (an fsync) of its own, and
a consumer that waits for its own message to be stored stops relaying the room's other messages
meanwhile; the channel layer then drops what piles up for it. With it a consumer hands its
message over and goes on relaying; under load the batches grow, and so does the throughput.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from channels.db import database_sync_to_async

from . import store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Submission:
    message: store.NewMessage
    stored: Callable[[store.Stored], Awaitable[None]]  # called once the message is stored
    failed: Callable[[], Awaitable[None]]  # called when the database refused the batch


class Writer:
    """Stores submitted messages in batches, one batch at a time, in the order submitted."""

    def __init__(self) -> None:
        self._queue: list[Submission] = []
        self._task: asyncio.Task[None] | None = None

    def submit(self, submission: Submission) -> None:
        self._queue.append(submission)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while self._queue:
            batch, self._queue = self._queue, []
            try:
                results = await database_sync_to_async(store.post_many)([s.message for s in batch])
            except Exception:
                logger.exception("chat: could not store %d messages", len(batch))
                for submission in batch:
                    await submission.failed()
                continue
            for submission, result in zip(batch, results, strict=True):
                try:
                    await submission.stored(result)
                except Exception:
                    logger.exception("chat: could not broadcast a stored message")


_writers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Writer] = weakref.WeakKeyDictionary()


def writer() -> Writer:
    """The writer of the running event loop (one per server process)."""
    loop = asyncio.get_running_loop()
    if loop not in _writers:
        _writers[loop] = Writer()
    return _writers[loop]
