"""The chat page in Debian's Chromium (Playwright): two users chat, markup stays text, and the page
recovers by itself after the server restarts, showing what was sent meanwhile.

``make screenshots`` saves ``chat.png`` of the page in docs/screenshots (``SCREENSHOTS_DIR``).
"""

from pathlib import Path
from typing import Any

import pytest

from ...browser import HIDE_TOOLBAR, visitor_context
from .live import LiveSite

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"
STORE_MEANWHILE = """
from django.contrib.auth.models import User
from tutorial_site.chat import store
from tutorial_site.chat.models import Room
room, bob = Room.objects.get(name="alice__bob"), User.objects.get(username="bob")
messages = [store.NewMessage(room.pk, room.name, bob.pk, "bob", f"meanwhile {i}", None) for i in range(60)]
store.post_many(messages)
"""


def open_chat(browser: Any, site: LiveSite, username: str, room: str) -> Any:
    """A new browser context (its own cookies) logged in as ``username``, on the room's page."""
    context = visitor_context(browser, viewport={"width": 900, "height": 700})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(site.http(f"/accounts/login/?next=/chat/{room}/"))
    page.fill("#id_username", username)
    page.fill("#id_password", f"{username}-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/chat/{room}/")
    connected(page)
    return page


def connected(page: Any, timeout: float = 30_000) -> None:
    page.wait_for_selector('#chat-status[data-state="connected"]', timeout=timeout)


def say(page: Any, text: str) -> None:
    page.fill("#chat-body", text)
    page.press("#chat-body", "Enter")


def shown(page: Any, text: str, timeout: float = 15_000) -> Any:
    """The message item showing exactly ``text`` (waits for it)."""
    item = page.locator("#chat-messages li", has=page.locator(".chat-body", has_text=text)).last
    item.wait_for(timeout=timeout)
    return item


def bodies(page: Any) -> list[str]:
    return page.locator("#chat-messages .chat-body").all_text_contents()


def test_two_users_chat_and_markup_is_shown_as_text(browser: Any, live: LiveSite, screenshots: Path) -> None:
    alice = open_chat(browser, live, "alice", "alice__bob")
    bob = open_chat(browser, live, "bob", "alice__bob")
    try:
        say(alice, "Hi Bob, can you see this?")
        shown(bob, "Hi Bob, can you see this?")
        bob.fill("#chat-body", "typing")  # `input` events send typing frames
        bob.type("#chat-body", "…")
        alice.wait_for_selector("#chat-typing:has-text('bob is typing')")
        say(bob, XSS)
        item = shown(alice, XSS)
        assert item.locator(".chat-body").text_content() == XSS
        assert alice.locator("#chat-messages img").count() == 0
        alice.wait_for_timeout(300)  # an injected onerror would have fired by now
        assert alice.dialogs == []
        assert bob.dialogs == []
        assert alice.locator("#chat-presence").text_content() == "alice, bob"
        alice.screenshot(path=screenshots / "chat.png", style=HIDE_TOOLBAR)
    finally:
        alice.context.close()
        bob.context.close()


def test_the_page_recovers_after_a_server_restart_and_shows_what_was_sent_meanwhile(
    browser: Any, live: LiveSite
) -> None:
    alice = open_chat(browser, live, "alice", "alice__bob")
    try:
        say(alice, "before the restart")
        shown(alice, "before the restart")
        live.servers[0].stop()
        alice.wait_for_selector('#chat-status[data-state="reconnecting"]', timeout=15_000)
        say(alice, "typed while offline")  # kept, sent again once connected (same client_id)
        live.run_django(STORE_MEANWHILE)  # 60 messages: more than the history sent on joining
        live.servers[0].start()
        connected(alice, timeout=60_000)
        shown(alice, "meanwhile 59", timeout=30_000)
        shown(alice, "typed while offline", timeout=30_000)
        texts = bodies(alice)
        meanwhile = [t for t in texts if t.startswith("meanwhile ")]
        assert meanwhile == [f"meanwhile {i}" for i in range(60)]  # every one, once, in order
        assert texts.count("typed while offline") == 1
        assert texts.count("before the restart") == 1
        seqs = [
            int(s)
            for s in alice.locator("#chat-messages li").evaluate_all("items => items.map(i => i.dataset.seq)")
        ]
        assert seqs == sorted(set(seqs))
        assert alice.locator(".chat-pending li").count() == 0  # nothing left unconfirmed
    finally:
        alice.context.close()
