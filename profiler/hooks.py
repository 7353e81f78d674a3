"""ORM hooks that tell the capture which ``Model.field`` a lazy load belongs to (see nplusone.py)."""


def install() -> None:
    """Install the hooks once; they are pass-throughs unless a capture is open."""
