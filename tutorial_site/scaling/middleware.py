"""One :func:`~tutorial_site.scaling.routers.read_your_writes` scope per request (WSGI and ASGI)."""

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction
from django.http import HttpRequest, HttpResponseBase
from django.utils.decorators import sync_and_async_middleware

from .routers import read_your_writes

GetResponse = Callable[[HttpRequest], Any]


@sync_and_async_middleware
def read_your_writes_middleware(get_response: GetResponse) -> GetResponse:
    """After a request writes, its later reads go to the primary, so it sees what it wrote."""
    if iscoroutinefunction(get_response):

        async def async_middleware(request: HttpRequest) -> HttpResponseBase:
            with read_your_writes():
                response: Awaitable[HttpResponseBase] = get_response(request)
                return await response

        return async_middleware

    def middleware(request: HttpRequest) -> HttpResponseBase:
        with read_your_writes():
            result: HttpResponseBase = get_response(request)
            return result

    return middleware
