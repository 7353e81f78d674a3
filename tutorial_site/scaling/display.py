"""Texts side by side: two query plans (or any two texts) in columns, in JupyterLab and as text."""

import html
from collections.abc import Mapping


class SideBySide:
    """Titled texts shown in columns (HTML) or one after the other (plain text)."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        if not texts:
            raise ValueError("side_by_side() needs at least one text, e.g. {'before': plan, 'after': plan}.")
        self.texts = dict(texts)

    def _repr_html_(self) -> str:
        pre = "font-size:11px;white-space:pre-wrap;overflow-x:auto"
        columns = "".join(
            f'<div style="flex:1;min-width:0"><strong>{html.escape(title)}</strong>'
            f'<pre style="{pre}">{html.escape(text)}</pre></div>'
            for title, text in self.texts.items()
        )
        return f'<div style="display:flex;gap:1.5em;align-items:flex-start">{columns}</div>'

    def __repr__(self) -> str:
        return "\n\n".join(f"── {title} ──\n{text}" for title, text in self.texts.items())


def side_by_side(texts: Mapping[str, str]) -> SideBySide:
    """``{"before": plan_a, "after": plan_b}`` displayed in columns."""
    return SideBySide(texts)
