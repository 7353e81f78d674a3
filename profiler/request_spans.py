"""Which statements of a capture ran inside which HTTP request.

Django sends ``request_started`` and ``request_finished`` around every request it handles, the
test ``Client``'s included. A capture open across several requests notes where each began and
ended among its statements, so that N+1 analysis can tell a loop inside one request from one
line run once by each of several requests (a test that fetches three entry pages loads
``Entry.blog`` three times at one line, one load per request: not an N+1). Requests that overlap
(concurrent ASGI requests inside one capture) merge into one span, so that concurrency never splits
one request's statements between spans. Pure bookkeeping: no Django import.
"""

OUTSIDE = -1  # the request number of a statement run outside any request


class RequestSpans:
    """The spans ``[start, end)`` of statement positions that ran inside a request."""

    __slots__ = ("_closed", "_open", "_start")

    def __init__(self) -> None:
        self._closed: list[tuple[int, int]] = []
        self._open = 0  # requests started and not yet finished
        self._start = 0

    def started(self, position: int) -> None:
        """A request started when the capture held ``position`` statements."""
        if self._open == 0:
            self._start = position
        self._open += 1

    def finished(self, position: int) -> None:
        """A request finished when the capture held ``position`` statements. One that started
        before the capture opened is ignored: its statements count as outside any request."""
        if self._open == 0:
            return
        self._open -= 1
        if self._open == 0:
            self._closed.append((self._start, position))

    def numbers(self, length: int) -> list[int]:
        """For each of the first ``length`` statements: its request's number (0, 1, ...), or
        :data:`OUTSIDE`. A request still open runs to the end."""
        spans = [*self._closed, (self._start, length)] if self._open else self._closed
        numbers = [OUTSIDE] * length
        for number, (start, end) in enumerate(spans):
            numbers[start:end] = [number] * (min(end, length) - min(start, length))
        return numbers
