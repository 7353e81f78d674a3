"""One navigation bar on every page of the site (base.html + site/nav.html): every section named,
the current one marked with ``aria-current``."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tutorial_site.blog.models import Author, Blog
from tutorial_site.chat.models import Room

from .pages.site_data import populate

SECTIONS = ["Pages", "Blogs", "Entries", "Books", "Pizzeria", "Chat", "Scaling", "Admin"]


class NavLinks(HTMLParser):
    """The links of ``<nav class="site-nav">``: ``(text, href, aria-current)`` each."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.navs = 0
        self.inside = False
        self.links: list[tuple[str, str, str | None]] = []
        self._link: dict[str, str | None] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "nav" and "site-nav" in (attributes.get("class") or "").split():
            self.navs += 1
            self.inside = True
        elif tag == "a" and self.inside:
            self._link = {
                "href": attributes.get("href"),
                "current": attributes.get("aria-current"),
                "text": "",
            }

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link["text"] = (self._link["text"] or "") + data

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self.inside = False
        elif tag == "a" and self._link is not None:
            link, self._link = self._link, None
            self.links.append(((link["text"] or "").strip(), link["href"] or "", link["current"]))


@pytest.fixture
def site(db: None) -> dict[str, int]:
    """A row of each kind the pages show, and alice in the chat's lobby."""
    populate(1)
    alice = User.objects.create_user("alice", password="alice-pass")
    Room.objects.create(name="lobby", kind=Room.Kind.GROUP).participants.set([alice])
    return {"blog": Blog.objects.get().pk, "author": Author.objects.first().pk}


@pytest.mark.parametrize(
    ("path", "status", "current"),
    [
        ("/", 200, "Pages"),
        ("/blog/", 200, "Blogs"),
        ("/blog/{blog}/?strategy=lazy", 200, "Blogs"),
        ("/blog/?strategy=fast", 400, "Blogs"),
        ("/blog/entries/", 200, "Entries"),
        ("/blog/authors/{author}/", 200, "Entries"),
        ("/library/", 200, "Books"),
        ("/pizzeria/", 200, "Pizzeria"),
        ("/chat/", 200, "Chat"),
        ("/chat/lobby/", 200, "Chat"),
        ("/chat/nobody__here/", 404, "Chat"),
        ("/scaling/", 200, "Scaling"),
        ("/accounts/login/", 200, None),
    ],
)
def test_every_page_has_the_one_nav_with_its_section_marked(
    client: Client, site: dict[str, int], path: str, status: int, current: str | None
) -> None:
    client.login(username="alice", password="alice-pass")
    response = client.get(path.format(**site))
    assert response.status_code == status
    nav = NavLinks(response.content.decode())
    assert nav.navs == 1
    assert [text for text, _, _ in nav.links] == SECTIONS
    marked = [text for text, _, aria in nav.links if aria is not None]
    assert marked == ([current] if current else [])
    assert all(aria in (None, "page") for _, _, aria in nav.links)


def test_the_nav_links_each_section_to_its_first_page(client: Client, site: dict[str, int]) -> None:
    links = {text: href for text, href, _ in NavLinks(client.get("/").content.decode()).links}
    assert links == {
        "Pages": "/",
        "Blogs": "/blog/",
        "Entries": "/blog/entries/",
        "Books": "/library/",
        "Pizzeria": "/pizzeria/",
        "Chat": "/chat/",
        "Scaling": "/scaling/",
        "Admin": "/admin/",
    }
    for href in links.values():
        assert client.get(href).status_code in (200, 302)  # the chat and the admin ask for a login


@pytest.mark.django_db
def test_the_login_page_has_no_log_in_link_to_itself(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/login/?next=' not in html
    assert 'href="/accounts/login/?next=/pizzeria/"' in client.get("/pizzeria/").content.decode()
