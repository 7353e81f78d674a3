"""The site as a visitor sees it, in Debian's Chromium: every section in the light and the dark scheme
(``prefers-color-scheme`` emulated) and on a phone's width, served as ``make serve`` serves it over
the small seeded database (``seeded_site``).

On each page: no failed request and no script error, the heading, the one navigation bar with its
section marked, colours that follow the scheme, text that keeps WCAG's 4.5:1 contrast, nothing wider
than the window. Screenshots ``site-<page>-<scheme>.png`` go to ``SCREENSHOTS_DIR`` when it is set
(``make screenshots``: docs/screenshots), else to a temporary folder; the debug toolbar's handle, which
only developers see, is left out of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tutorial_site.services import Service

from ..browser import HIDE_TOOLBAR, visitor_context
from .conftest import ADMIN
from .test_navigation import SECTIONS

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class Visit:
    name: str
    path: str
    heading: str
    section: str | None  # the nav's marked section (none on the login page)
    user: str | None = None  # logged in as (password: <name>-demo)
    rows: tuple[str, int] | None = None  # a selector and how many the page shows


SITE = [
    Visit("home", "/", "Pages, lazy and optimized", "Pages", rows=("table.pages tbody tr", 6)),
    Visit("blogs", "/blog/", "Blogs", "Blogs"),
    Visit("entries", "/blog/entries/?strategy=lazy", "Entries", "Entries", rows=("#page-body tbody tr", 25)),
    Visit("pizzeria", "/pizzeria/", "Pizzeria menu", "Pizzeria", rows=("#page-body section.restaurant", 12)),
    Visit("login", "/accounts/login/?next=/chat/", "Log in", None),
    Visit("chat", "/chat/", "Chat", "Chat", user="alice", rows=(".chat-rooms tbody tr", 3)),
    Visit("chat-room", "/chat/lobby/", "lobby", "Chat", user="alice"),
]

# Every visible element's own text against the background it is drawn on (the first ancestor with
# one): the ones under 4.5:1, WCAG's minimum for body text. The toolbar is the developer's, not the site's.
LOW_CONTRAST = """() => {
  const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const linear = (c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const colour = rgb(getComputedStyle(node).backgroundColor);
      if (colour.length < 4 || colour[3] > 0) return colour;
    }
    return [255, 255, 255];
  };
  const problems = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (element.closest("#djDebug") || !element.getClientRects().length) continue;
    const own = [...element.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE);
    const text = own.map((node) => node.textContent).join("").trim();
    if (!text) continue;
    const [a, b] = [luminance(rgb(getComputedStyle(element).color)), luminance(background(element))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const name = `${element.tagName.toLowerCase()}.${element.className}`;
    if (ratio < 4.5) problems.push(`${name} "${text.slice(0, 30)}": ${ratio.toFixed(2)}`);
  }
  return problems;
}"""

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
CHAT_AT_BOTTOM = """() => {
  const scroll = document.getElementById("chat-scroll");
  const below = scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight;
  return scroll.querySelectorAll("li").length > 0 && below < 2;
}"""


def luminance(css_colour: str) -> float:
    """Relative luminance (0 black, 1 white) of a computed ``rgb(...)`` colour."""
    red, green, blue = (int(c) / 255 for c in re.findall(r"[\d.]+", css_colour)[:3])
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


class Window:
    """A browser context (its own cookies) with one page, and what went wrong while it was open."""

    def __init__(self, browser: Any, server: Service, *, scheme: str, viewport: dict[str, int]) -> None:
        self.server = server
        self.context = visitor_context(browser, viewport=viewport, color_scheme=scheme)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"{r.status} {r.url}"))

    def log_in(self, username: str, password: str) -> None:
        self.page.goto(self.server.url("/accounts/login/"))
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        with self.page.expect_navigation():
            self.page.click("button[type=submit]")
        assert self.page.locator(".site-user, #user-tools").first.inner_text().count(username) == 1

    def open(self, path: str) -> Any:
        response = self.page.goto(self.server.url(path))
        assert response.status == 200, f"{path}: {response.status}"
        if path.startswith("/chat/") and path != "/chat/":  # a room: wait until it has joined
            self.page.wait_for_selector('#chat-status[data-state="connected"]', timeout=30_000)
            self.page.wait_for_function(CHAT_AT_BOTTOM, timeout=10_000)  # the history shown, newest in view
        return self.page


@contextmanager
def window(
    browser: Any, server: Service, *, scheme: str, user: str | None, phone: bool = False
) -> Iterator[Window]:
    opened = Window(browser, server, scheme=scheme, viewport=PHONE if phone else DESKTOP)
    try:
        if user == ADMIN[0]:
            opened.log_in(*ADMIN)
        elif user is not None:
            opened.log_in(user, f"{user}-demo")
        yield opened
        assert opened.problems == []
    finally:
        opened.context.close()


def check_scheme(page: Any, scheme: str) -> None:
    """Dark text on a light page, or light text on a dark one."""
    body = page.evaluate(
        "() => [getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]"
    )
    text, background = (luminance(colour) for colour in body)
    dark, light = (text, background) if scheme == "light" else (background, text)
    assert dark < 0.05, body
    assert light > 0.6, body


def check_nav(page: Any, section: str | None) -> None:
    links = page.locator(".site-nav a")
    assert links.all_inner_texts() == SECTIONS
    marked = page.locator('.site-nav a[aria-current="page"]')
    assert marked.all_inner_texts() == ([section] if section else [])
    # Marked for the eye too: a bar under the current section only, its text in the body's colour.
    bars = links.evaluate_all("links => links.map(a => getComputedStyle(a).borderBottomColor)")
    transparent = "rgba(0, 0, 0, 0)"
    assert [bar != transparent for bar in bars] == [text == section for text in SECTIONS]
    if section:
        colour = marked.evaluate("a => getComputedStyle(a).color")
        assert colour == page.evaluate("() => getComputedStyle(document.body).color")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_section_in_the_light_and_the_dark_scheme(
    browser: Any, seeded_site: Service, screenshots: Path, scheme: str
) -> None:
    for user in (None, "alice"):
        with window(browser, seeded_site, scheme=scheme, user=user) as opened:
            for visit in (v for v in SITE if v.user == user):
                page = opened.open(visit.path)
                assert page.locator("h1").inner_text() == visit.heading
                if visit.rows:
                    assert page.locator(visit.rows[0]).count() == visit.rows[1], visit.name
                check_nav(page, visit.section)
                check_scheme(page, scheme)
                assert page.evaluate(LOW_CONTRAST) == [], visit.name
                assert page.evaluate(OVERFLOW) <= 0, visit.name
                page.screenshot(path=screenshots / f"site-{visit.name}-{scheme}.png", style=HIDE_TOOLBAR)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_admin_follows_the_scheme_too(
    browser: Any, seeded_site: Service, screenshots: Path, scheme: str
) -> None:
    with window(browser, seeded_site, scheme=scheme, user=ADMIN[0]) as opened:
        page = opened.open("/admin/")
        assert page.locator("#content h1").inner_text() == "Site administration"
        assert page.locator("#content a", has_text="Rooms").count() == 1  # the chat's models are there
        check_scheme(page, scheme)
        page.screenshot(path=screenshots / f"site-admin-{scheme}.png", style=HIDE_TOOLBAR)


def test_on_a_phone_nothing_is_wider_than_the_screen(
    browser: Any, seeded_site: Service, screenshots: Path
) -> None:
    """Wide tables scroll inside themselves; the nav takes a row of its own under the site's name."""
    for user in (None, "alice"):
        with window(browser, seeded_site, scheme="light", user=user, phone=True) as opened:
            for visit in (v for v in SITE if v.user == user):
                page = opened.open(visit.path)
                assert page.evaluate(OVERFLOW) <= 0, visit.name
                name, nav = (page.locator(s).bounding_box() for s in (".site-name", ".site-nav"))
                assert nav["y"] >= name["y"] + name["height"], visit.name
                if visit.name in ("entries", "chat-room"):
                    page.screenshot(path=screenshots / f"site-{visit.name}-phone.png", style=HIDE_TOOLBAR)
