"""The inline CSS of the HTML views, readable in JupyterLab (light and dark), classic Notebook and VS Code.

Rules every declaration here follows:

- Inline styles only. JupyterLab shows an untrusted notebook's HTML outputs through a sanitizer that
  drops ``<style>`` elements and keeps a style declaration only when its value matches a plain form
  (lengths in px/em/%, hex/rgb/rgba/named colours; no ``var()``, no ``calc()``, no ``ch``). Layout is
  therefore written in those forms, so it survives the sanitizer.
- Text colours are JupyterLab's theme variables with a fallback that reads on white and on near-black.
  When the sanitizer drops them, the text inherits the theme's own colour: plain, never unreadable.
- Nothing sets a dark text colour or a light background of its own: tints are translucent.
"""

# Monospace glyphs are about 0.6em wide; the sanitizer rejects the ``ch`` unit.
CHAR_EM = 0.6


def theme_colour(variable: str, fallback: str) -> str:
    """``var(--jp-<variable>, fallback)``: JupyterLab's theme colour, else ``fallback``."""
    return f"var(--jp-{variable},{fallback})"


# Fallbacks: contrast of at least 3.5:1 on both #fff and #111.
KEYWORD = theme_colour("mirror-editor-keyword-color", "#388e3c")
STRING = theme_colour("mirror-editor-string-color", "#d0453a")
NUMBER = theme_colour("mirror-editor-number-color", "#2a8a8a")
BUILTIN = theme_colour("mirror-editor-builtin-color", "#388e3c")
PLACEHOLDER = theme_colour("mirror-editor-def-color", "#2f7fd0")
COMMENT = theme_colour("mirror-editor-comment-color", "#808080")
ERROR = theme_colour("error-color1", "#e53935")

HAIRLINE = "#8884"  # translucent grey: a rule on any background
WARN_RGB = (224, 134, 0)
ERROR_RGB = (229, 57, 53)

MUTED = "opacity:0.7"
BOX = "font-size:13px;line-height:1.4;margin:2px 0"
PARAGRAPH = "margin:4px 0;text-align:left"
PRE = (
    "margin:0;padding:0;background-color:transparent;text-align:left;font-size:12px;line-height:1.35;"
    "white-space:pre-wrap;word-break:normal;overflow-wrap:normal;overflow-x:auto"
)
CODE = "background-color:transparent;padding:0;font-size:12px;overflow-wrap:break-word"
SUMMARY = "cursor:pointer"
LIST = "margin:4px 0;padding-left:1.5em;text-align:left"
# ``table-layout:fixed`` is what JupyterLab's stylesheet imposes anyway; saying it here makes classic
# Notebook and VS Code lay the table out the same way, from the <col> widths.
TABLE = "table-layout:fixed;width:100%;min-width:40em;border-collapse:collapse;font-size:12px;margin:0"
CELL = f"padding:3px 6px;vertical-align:top;text-align:left;border-top:1px solid {HAIRLINE}"
NARROW_CELL = f"{CELL};white-space:nowrap;overflow:hidden"
NUMBER_CELL = f"{NARROW_CELL};text-align:right"
HEAD = (
    f"padding:3px 6px;text-align:left;font-weight:bold;white-space:nowrap;border-bottom:1px solid {HAIRLINE}"
)


def tinted(rgb: tuple[int, int, int]) -> str:
    """A box tinted with ``rgb``: a solid left border and a translucent background."""
    r, g, b = rgb
    return (
        f"border-left:3px solid rgb({r},{g},{b});background-color:rgba({r},{g},{b},0.1);"
        "padding:4px 10px;margin:4px 0;border-radius:3px;text-align:left"
    )


def hanging_indent(indent: int, hang: int) -> str:
    """A block whose first line starts at the margin (its ``indent`` leading spaces kept as text) and
    whose wrapped lines start ``hang`` characters past that indent."""
    em = round((indent + hang) * CHAR_EM, 2)
    return f"display:block;padding-left:{em}em;text-indent:-{em}em"
