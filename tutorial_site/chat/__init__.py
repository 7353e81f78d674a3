"""The demo chat: rooms and messages over websockets (Channels), a JWT + history API (DRF), two pages.

The websocket protocol is written down in :mod:`tutorial_site.chat.protocol`; the database is the
source of truth (every message is stored with its room's next ``seq`` before it is broadcast), so a
client that misses a frame asks for what it lacks with ``since`` and ends with every message once.
"""
