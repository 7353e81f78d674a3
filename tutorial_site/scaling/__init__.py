"""Scaling the tutorial site, measured: caching, connection pooling, PgBouncer, a streaming replica,
EXPLAIN and indexes (notebook 07).

The site's side:

- ``views``: cached pages, cached statistics, a write and a read in one request (the page under
  load is the site's blog index, ``/blog/?strategy=optimized``);
- ``stats``: the cached ``annotate`` and its invalidation when a write commits;
- ``routers`` and ``middleware``: reads on the replica, writes and a request's own reads on the primary;
- ``config``: pool, ``CONN_MAX_AGE``, cursors and the replica from the environment.

The lab's side (what notebook 07 and ``bench/scaling.py`` run; ``lab`` ties it together):

- ``cluster``, ``pgbouncer``, ``server``: the servers, each run by a
  :class:`~tutorial_site.services.Service` (``lifecycle``: their common start/stop); the private
  Redis, the Celery worker and Flower are ``tutorial_site.workers.services``', nginx is
  ``tutorial_site.nginx``';
- ``databases``: point Django's aliases at them while Python runs;
- ``load``, ``caching``, ``replication``, ``plans``, ``indexes``: the measurements;
- ``charts`` and ``display``: the figures and the plans side by side.
"""
