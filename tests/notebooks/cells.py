"""Reading notebook cells in tests."""

from typing import Any


def output_text(cell: Any) -> str:
    """What a code cell printed and displayed, as text (streams and ``text/plain``), in order."""
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            parts.append("".join(output["text"]))
        elif "data" in output:
            parts.append("".join(output["data"].get("text/plain", "")) + "\n")
    return "".join(parts)
