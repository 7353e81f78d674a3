"""Plain-text rendering of a capture."""

from typing import Any

from ..fingerprint import format_sql


def render_capture(capture: Any) -> str:
    lines = [f"{len(capture)} queries in {capture.total_time * 1000:.1f} ms"]
    for i, query in enumerate(capture, 1):
        where = f"  -- {query.origin}" if query.origin else ""
        lines.append(f"[{i}] {query.alias}{where}")
        lines.extend("    " + line for line in format_sql(query.sql).splitlines())
    return "\n".join(lines)
