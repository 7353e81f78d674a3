"""``start()`` / ``stop()`` objects that also work as ``with`` blocks, stopped at the end of the block
and also when starting fails half-way (a primary started, its database not yet created...)."""

from types import TracebackType
from typing import Self

from tutorial_site.services import Service


class Startable:
    """Subclasses define :meth:`start` (returning ``self``) and :meth:`stop` (safe to call twice)."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class RunsService(Startable):
    """A server of the lab run by one :class:`~tutorial_site.services.Service` (``self.service``)."""

    service: Service

    @property
    def running(self) -> bool:
        return self.service.running

    def start(self) -> Self:
        """Start the server and wait until it answers."""
        self.service.start()
        return self

    def stop(self) -> None:
        self.service.stop()
