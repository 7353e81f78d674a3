"""Load on the chat: C clients in one room, messages at a steady rate or all at once.

Two servers, each run the same way:

- ours, ``tutorial_site.asgi``: JWT authentication, every message stored (with the room's next
  ``seq``) before it is broadcast, clients that fill gaps with ``since``;
- the Channels tutorial's consumer (``bench/tutorial_chat.py``): no authentication, no storage.

each on the in-memory channel layer (one daphne process) and, when REDIS_URL is set, on Redis
(two daphne processes, the clients spread over both). For every run it prints deliveries/s,
p50/p99 latency (send to arrival, in this process's clock), and how many deliveries were lost,
duplicated and out of order. Ours is counted after catch-up (the clients ask ``since`` for a gap
after waiting 0.5 s, and once more at the end); a message refused with ``rate_limited`` is
counted apart, never as delivered or lost.

Self-contained and bounded: it starts its own daphne processes (production-like: DEBUG off),
makes a throwaway database (``<name>_chatbench`` on DATABASE_URL's PostgreSQL server, dropped at
the end, or SQLite in a temporary folder), and every run has a fixed message count and a deadline.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME REDIS_URL=redis://127.0.0.1:6379/1 \\
     .venv/bin/python bench/chat_load.py [--clients 20] [--rates 50,100,200,400] [--seconds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutorial_site.services import Service  # noqa: E402

RUN_DEADLINE = 60.0  # seconds a run may take after its last message is sent
QUIET = 1.5  # seconds without progress before the clients ask `since` one last time


@dataclass
class Run:
    server: str
    layer: str
    processes: int
    load: str
    sent: int
    refused: int = 0
    deliveries: int = 0
    expected: int = 0
    seconds: float = 0.0
    latencies: list[float] | None = None
    duplicated: int = 0
    out_of_order: int = 0
    caught_up: int = 0
    cpu: float | None = None  # seconds of CPU the server processes used during the run

    @property
    def lost(self) -> int:
        return self.expected - self.deliveries

    @property
    def cpu_per_delivery(self) -> str:
        if self.cpu is None or not self.deliveries:
            return f"{'n/a':>9}"
        return f"{self.cpu / self.deliveries * 1e6:>9.0f}"

    def row(self) -> str:
        lat = sorted(self.latencies or [0.0])
        p50 = statistics.median(lat) * 1000
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
        rate = self.deliveries / self.seconds if self.seconds else 0.0
        lost = (
            f"{self.lost} ({self.lost / self.expected:.0%})"
            if self.expected and self.lost
            else str(self.lost)
        )
        return (
            f"{self.server:<9}{self.layer:<10}{self.processes:>3}  {self.load:<13}"
            f"{self.sent:>6}{self.refused:>8}"
            f"{self.deliveries:>9}{rate:>10,.0f}{p50:>9.1f}{p99:>9.1f}  {lost:<12}{self.duplicated:>4}"
            f"{self.out_of_order:>7}{self.caught_up:>9}"
            f"{self.cpu_per_delivery}"
        )


HEADER = (
    f"{'server':<9}{'layer':<10}{'ps':>3}  {'load':<13}{'sent':>6}{'refused':>8}{'deliv.':>9}{'deliv/s':>10}"
    f"{'p50 ms':>9}{'p99 ms':>9}  {'lost':<12}{'dup':>4}{'order':>7}{'caught':>9}{'cpu µs':>9}"
)


# -- the database and the servers ----------------------------------------------------------------
def setup_django() -> dict[str, str]:
    """Configure Django for a throwaway database; returns the environment for the servers."""
    var_dir = tempfile.mkdtemp(prefix="bench-chat-")
    env = {
        "TUTORIAL_VAR_DIR": var_dir,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "tutorial_site.settings",
    }
    os.environ.update(env)
    redis_url = os.environ.pop("REDIS_URL", "")  # the servers get it per run; Django here needs none
    import django
    from django.conf import settings

    database = settings.DATABASES["default"]
    if "postgresql" in database["ENGINE"]:
        database["TEST"] = {"NAME": f"{database['NAME']}_chatbench"}
    else:  # this process writes rooms while a server writes too: take the write lock up front
        database.setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    django.setup()
    from django.db import connection

    if connection.vendor == "postgresql":
        name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        user = f"{database['USER']}@" if database.get("USER") else ""
        env["DATABASE_URL"] = (
            f"postgres://{user}{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{name}"
        )
        env["DATABASE_POOL"] = "4"  # as `make serve`: each server takes its connections from a pool
        env["BENCH_DATABASE"] = f"PostgreSQL {name} (dropped at the end)"
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        env["BENCH_DATABASE"] = "SQLite in a temporary folder"
    env["BENCH_REDIS_URL"] = redis_url
    return env


def teardown_django() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def make_users(count: int) -> list[str]:
    """``count`` bench users and an access JWT for each (minted here; the servers verify them)."""
    from django.contrib.auth import get_user_model
    from rest_framework_simplejwt.tokens import AccessToken

    model = get_user_model()
    users = []
    for i in range(count):
        user, _ = model.objects.get_or_create(username=f"bench-{i:02}")
        users.append(user)
    return [str(AccessToken.for_user(user)) for user in users]


def make_room() -> str:
    from django.contrib.auth import get_user_model

    from tutorial_site.chat.models import Room

    room = Room.objects.create(name=f"bench-{uuid.uuid4().hex[:12]}", kind=Room.Kind.GROUP)
    room.participants.set(get_user_model().objects.filter(username__startswith="bench-"))
    return room.name


def start_servers(
    app: str, processes: int, env: dict[str, str], redis_url: str, profile: str = ""
) -> list[Service]:
    server_env = {**os.environ, **env, "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}"}
    server_env.pop("REDIS_URL", None)
    if redis_url:
        server_env["REDIS_URL"] = redis_url
    servers = []
    try:
        for index in range(processes):
            argv = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", "{port}", app]
            if profile:  # cProfile's statistics of each server, written when it stops
                Path(profile).mkdir(parents=True, exist_ok=True)
                layer = "redis" if redis_url else "memory"
                name = f"{app.split('.')[0].split(':')[0]}-{layer}-{index}.prof"
                argv[1:1] = ["-m", "cProfile", "-o", str(Path(profile) / name)]
            servers.append(Service("daphne", argv, env=server_env, cwd=ROOT).start())
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers


# -- one run -------------------------------------------------------------------------------------
async def send_all(
    senders: list[Any], count: int, rate: float | None, burst: int, sent_at: dict[str, float]
) -> None:
    """Message k goes from sender k % C at ``t0 + k / rate``; or, for a burst, ``burst`` each at once."""
    if rate is None:

        async def one_client(index: int, sender: Any) -> None:
            for j in range(burst):
                body = f"m{index}-{j}"
                sent_at[body] = time.perf_counter()
                await sender(body)

        await asyncio.gather(*(one_client(i, s) for i, s in enumerate(senders)))
        return
    start = time.perf_counter()
    for k in range(count):
        delay = start + k / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        body = f"m{k}"
        sent_at[body] = time.perf_counter()
        await senders[k % len(senders)](body)


async def run_ours(
    servers: list[Service], tokens: list[str], room: str, count: int, rate: float | None, burst: int
) -> Run:
    from tutorial_site.chat.client import ChatClient

    clients = [
        ChatClient(
            servers[i % len(servers)].url(f"/ws/chat/{room}/", scheme="ws"),
            token=token,
            origin=servers[i % len(servers)].url(""),
            start=0,
        )
        for i, token in enumerate(tokens)
    ]
    await asyncio.gather(*(client.connect() for client in clients))
    await asyncio.sleep(0.5)  # let the presence frames of the joins pass
    sent_at: dict[str, float] = {}
    senders = [lambda body, c=client: c.send(body, client_id=body) for client in clients]
    started = time.perf_counter()
    await send_all(senders, count, rate, burst, sent_at)
    sent = len(sent_at)

    def refused() -> int:
        return sum(1 for c in clients for e in c.counts.errors if e["code"] == "rate_limited")

    def done() -> bool:
        return all(c.last_seq >= sent - refused() for c in clients)

    deadline = time.perf_counter() + RUN_DEADLINE
    progress, quiet_since, asked = -1, time.perf_counter(), False
    while not done() and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
        now_progress = sum(c.last_seq for c in clients)
        if now_progress != progress:
            progress, quiet_since = now_progress, time.perf_counter()
        elif time.perf_counter() - quiet_since > QUIET and not asked:
            asked = True  # the last frames of a room can be lost with nothing after them to show the gap
            await asyncio.gather(*(c.catch_up() for c in clients if c.last_seq < sent - refused()))
    await asyncio.gather(*(client.close() for client in clients))
    stored = sent - refused()
    latencies = [
        c.arrived[m["seq"]] - sent_at[m["body"]] for c in clients for m in c.messages if m["body"] in sent_at
    ]
    last_arrival = max((t for c in clients for t in c.arrived.values()), default=started)
    bodies = Counter(m["body"] for c in clients for m in c.messages)
    return Run(
        "ours",
        "",
        len(servers),
        "",
        sent,
        refused=refused(),
        deliveries=sum(1 for c in clients for m in c.messages if m["seq"] <= stored),
        expected=stored * len(clients),
        seconds=last_arrival - started,
        latencies=latencies,
        duplicated=sum(c.counts.live_repeats for c in clients)
        + sum(n - len(clients) for n in bodies.values() if n > len(clients)),
        out_of_order=sum(c.counts.out_of_order for c in clients),
        caught_up=sum(c.counts.caught_up for c in clients),
    )


class TutorialClient:
    """A client of the tutorial's consumer: it can only count what arrives."""

    def __init__(self, url: str, origin: str) -> None:
        self.url, self.origin = url, origin
        self.arrived: dict[str, float] = {}
        self.repeats = 0
        self.out_of_order = 0
        self._highest: dict[str, int] = {}

    async def connect(self) -> None:
        import websockets

        self.socket = await websockets.connect(self.url, origin=self.origin, max_size=None)
        self.reader = asyncio.create_task(self.read())

    async def read(self) -> None:
        import websockets

        try:
            async for text in self.socket:
                body = json.loads(text)["message"]
                if body in self.arrived:
                    self.repeats += 1
                    continue
                self.arrived[body] = time.perf_counter()
                sender, _, number = body.rpartition("-") if "-" in body else ("", "", body[1:])
                if int(number) < self._highest.get(sender, -1):
                    self.out_of_order += 1
                self._highest[sender] = max(self._highest.get(sender, -1), int(number))
        except websockets.ConnectionClosed:
            pass

    async def send(self, body: str) -> None:
        await self.socket.send(json.dumps({"message": body}))

    async def close(self) -> None:
        await self.socket.close()
        await self.reader


async def run_tutorial(
    servers: list[Service], clients_count: int, room: str, count: int, rate: float | None, burst: int
) -> Run:
    clients = [
        TutorialClient(
            servers[i % len(servers)].url(f"/ws/chat/{room}/", scheme="ws"), servers[i % len(servers)].url("")
        )
        for i in range(clients_count)
    ]
    await asyncio.gather(*(client.connect() for client in clients))
    await asyncio.sleep(0.5)
    sent_at: dict[str, float] = {}
    started = time.perf_counter()
    await send_all([c.send for c in clients], count, rate, burst, sent_at)
    sent = len(sent_at)
    deadline = time.perf_counter() + RUN_DEADLINE
    progress, quiet_since = -1, time.perf_counter()
    while time.perf_counter() < deadline and time.perf_counter() - quiet_since < QUIET:
        if all(len(c.arrived) >= sent for c in clients):
            break
        await asyncio.sleep(0.05)
        now_progress = sum(len(c.arrived) for c in clients)
        if now_progress != progress:
            progress, quiet_since = now_progress, time.perf_counter()
    await asyncio.gather(*(client.close() for client in clients))
    last_arrival = max((t for c in clients for t in c.arrived.values()), default=started)
    return Run(
        "tutorial",
        "",
        len(servers),
        "",
        sent,
        deliveries=sum(len(c.arrived) for c in clients),
        expected=sent * len(clients),
        seconds=last_arrival - started,
        latencies=[t - sent_at[body] for c in clients for body, t in c.arrived.items()],
        duplicated=sum(c.repeats for c in clients),
        out_of_order=sum(c.out_of_order for c in clients),
    )


# -- the whole benchmark ---------------------------------------------------------------------------
def cpu_seconds(servers: list[Service]) -> float | None:
    """CPU time (user + system) the server processes have used so far; None where /proc is missing."""
    total = 0.0
    for server in servers:
        if server.process is None:
            return None
        try:
            fields = Path(f"/proc/{server.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="clients in the room (default 20)")
    parser.add_argument("--rates", default="50,100,200,400", help="messages/s offered, comma-separated")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each steady run")
    parser.add_argument(
        "--burst", type=int, default=40, help="messages each client sends at once in the burst run"
    )
    parser.add_argument("--servers", default="tutorial,ours", help="which servers: tutorial,ours")
    parser.add_argument("--layers", default="in-memory,redis", help="which channel layers: in-memory,redis")
    parser.add_argument(
        "--profile", default="", metavar="DIR", help="write cProfile statistics of each server to DIR"
    )
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",") if r]
    if not 1 <= args.clients <= 100 or args.seconds > 30 or max(rates, default=0) > 2000 or args.burst > 100:
        parser.error("bounded: 1-100 clients, at most 30 s per run, 2,000 msgs/s, bursts of 100")

    env = setup_django()
    print(f"chat load: {args.clients} clients in one room; database: {env['BENCH_DATABASE']}")
    print(f"at start: {load_average()}  (figures on a shared machine are pessimistic)")
    try:
        tokens = make_users(args.clients)
        layers = [("in-memory", 1, "")]
        if env["BENCH_REDIS_URL"]:
            layers.append(("redis", 2, env["BENCH_REDIS_URL"]))
        else:
            print("REDIS_URL is not set: the Redis runs (two processes) are left out.")
        print(HEADER)
        for layer, processes, redis_url in layers:
            if layer not in args.layers.split(","):
                continue
            for server in args.servers.split(","):
                app = "tutorial_site.asgi:application" if server == "ours" else "tutorial_chat:application"
                servers = start_servers(app, processes, env, redis_url, args.profile)
                try:
                    loads: list[tuple[str, float | None, int]] = [
                        (f"{rate:g} msg/s", rate, int(rate * args.seconds)) for rate in rates
                    ]
                    loads.append((f"burst {args.clients}x{args.burst}", None, args.clients * args.burst))
                    for label, rate, count in loads:
                        room = make_room() if server == "ours" else f"bench{uuid.uuid4().hex[:12]}"
                        cpu_before = cpu_seconds(servers)
                        if server == "ours":
                            run = asyncio.run(run_ours(servers, tokens, room, count, rate, args.burst))
                        else:
                            run = asyncio.run(
                                run_tutorial(servers, args.clients, room, count, rate, args.burst)
                            )
                        run.layer, run.load = layer, label
                        cpu_after = cpu_seconds(servers)
                        if cpu_before is not None and cpu_after is not None:
                            run.cpu = cpu_after - cpu_before
                        print(run.row(), flush=True)
                finally:
                    for service in servers:
                        service.stop()
        print(f"at end: {load_average()}")
        print(
            "deliv/s: deliveries / (last arrival - first send); lost: of sent x clients "
            "(ours: of stored x clients), after catch-up; dup: a message delivered twice; "
            "order: frames behind an earlier one; "
            "caught: deliveries that came from `since`; refused: rate_limited; "
            "cpu µs: the servers' CPU time per delivery (joins and catch-up included)."
        )
    finally:
        teardown_django()


if __name__ == "__main__":
    main()
