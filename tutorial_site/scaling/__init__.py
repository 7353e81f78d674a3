"""Scaling the tutorial site, measured: caching, connection pooling, PgBouncer, a streaming replica,
EXPLAIN and indexes (notebook 07).

The site's side: ``views`` (cached pages, cached statistics, the blog index), ``stats`` (the cached
``annotate`` and its invalidation), ``routers`` and ``middleware`` (reads on the replica, your own
writes from the primary), ``config`` (pool and replica settings from the environment).
The lab's side: ``cluster`` (a PostgreSQL primary and replica under ``var/``), ``pgbouncer``,
``redis_server``, ``server`` (the site under gunicorn), ``load`` (concurrent requests and connection
counts), ``replication`` (lag), ``indexes`` (a migration applied to one database), ``databases``
(point aliases at the lab's servers), ``charts`` (the figures) and ``lab`` (what notebook 07 calls).
"""
