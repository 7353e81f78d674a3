"""Two server processes, one PostgreSQL database, the Redis channel layer: what one process stores,
clients of the other get; concurrent senders in both get gap-free seqs."""

import asyncio
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator

import pytest
from asgiref.sync import async_to_sync

from .live import ROOT, LiveSite

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture(scope="module")
def cluster(live_env: dict[str, str]) -> Iterator[LiveSite]:
    if not live_env.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: two server processes need the Redis channel layer")
    site = LiveSite(live_env).start(2)
    try:
        yield site
    finally:
        site.stop()


def run(scenario, *args):
    return async_to_sync(scenario)(*args)


def test_a_message_sent_through_one_process_arrives_through_the_other(cluster: LiveSite) -> None:
    alice = cluster.client("lobby", "alice", server=0)
    bob = cluster.client("lobby", "bob", server=1)

    async def scenario():
        await alice.connect()
        await bob.connect()
        await bob.wait_until(lambda: bob.presence == ["alice", "bob"], what="both present")
        await alice.send("across processes", client_id="x-1")
        await bob.wait_for(alice.last_seq + 1)
        await alice.close()
        await bob.close()

    run(scenario)
    assert bob.messages[-1]["body"] == "across processes"
    assert bob.messages[-1]["author"] == "alice"


def test_concurrent_senders_in_both_processes_get_gap_free_seqs(cluster: LiveSite) -> None:
    senders_per_process, each = 4, 30
    tokens = {name: cluster.token(name) for name in ("alice", "bob")}
    clients = [
        cluster.client("alice__bob", name, server=server, token=tokens[name], start=0)
        for server in (0, 1)
        for name in ("alice", "bob")
        for _ in range(senders_per_process // 2)
    ]

    async def scenario():
        await asyncio.gather(*(c.connect() for c in clients))
        first = max(c.ready["last_seq"] for c in clients)  # the room before these senders

        async def send(index: int) -> None:
            for j in range(each):
                await clients[index].send(f"{index}-{j}", client_id=f"{index}-{j}")

        await asyncio.gather(*(send(i) for i in range(len(clients))))
        total = first + len(clients) * each
        await asyncio.gather(*(c.wait_for(total, timeout=60) for c in clients))
        for client in clients:
            await client.close()
        return first, total

    first, total = run(scenario)
    for client in clients:  # every client: every message once, in seq order
        assert [m["seq"] for m in client.messages] == list(range(1, total + 1))
    bodies = Counter(m["body"] for m in clients[0].messages if m["seq"] > first)
    assert set(bodies.values()) == {1}
    assert len(bodies) == len(clients) * each


SENDER = """
import sys
from django.contrib.auth.models import User
from tutorial_site.chat import store
from tutorial_site.chat.models import Room
room = Room.objects.get(name="bob__carol")
user = User.objects.get(username=sys.argv[1])
for i in range(int(sys.argv[2])):
    store.post(store.NewMessage(room.pk, room.name, user.pk, user.username, f"{sys.argv[1]} {i}", None))
"""


def test_two_processes_storing_at_once_take_every_seq_once(cluster: LiveSite) -> None:
    """The database alone: two processes post to one room as fast as they can."""
    before = int(
        cluster.run_django(
            'from tutorial_site.chat.models import Room\nprint(Room.objects.get(name="bob__carol").last_seq)'
        )
    )
    script = f"import django\ndjango.setup()\n{SENDER}"
    processes = [
        subprocess.Popen([sys.executable, "-c", script, name, "150"], env=cluster.env, cwd=ROOT)
        for name in ("bob", "carol")
    ]
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    rows = cluster.run_django(
        "import json\nfrom tutorial_site.chat.models import Message\n"
        'seqs = Message.objects.filter(room__name="bob__carol").order_by("seq")\n'
        'print(json.dumps(list(seqs.values_list("seq", flat=True))))',
    )
    assert json.loads(rows) == list(range(1, before + 301))
