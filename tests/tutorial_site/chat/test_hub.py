"""The hub: a server process subscribes once per room, however many of its sockets are in it."""

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from tutorial_site.chat.hub import hub
from tutorial_site.chat.models import Room

from .sockets import join, post


def subscribed(layer: Any, group: str) -> set[str]:
    """The channels of this process subscribed to ``group``: in-memory layer, or Redis pub/sub."""
    groups = layer.groups
    members = groups.get(group) or groups.get(f"{getattr(layer, 'prefix', '')}__group__{group}") or ()
    return set(members)


def test_one_subscription_per_process_and_room_whatever_the_number_of_sockets(
    lobby: Room, users: dict
) -> None:
    async def scenario():
        layer = get_channel_layer()
        before = subscribed(layer, "chat.lobby")  # the in-memory layer outlives the tests' event loops
        sockets = [(await join("lobby", users[name]))[0] for name in ("alice", "bob", "alice")]
        local = hub(layer)
        subscribed_while_in = subscribed(layer, "chat.lobby") - before
        members = len(local.rooms["chat.lobby"])
        await post(sockets[0], "to all three")
        bodies = [(await s.next())["body"] for s in sockets]
        for socket in sockets:
            await socket.close()
        return local.channel, subscribed_while_in, members, bodies, subscribed(layer, "chat.lobby")

    channel, subscribed_while_in, members, bodies, subscribed_after = async_to_sync(scenario)()
    assert subscribed_while_in == {channel}  # one subscription for the three sockets
    assert members == 3
    assert bodies == ["to all three"] * 3
    assert channel not in subscribed_after  # the last socket gone, the process unsubscribes
