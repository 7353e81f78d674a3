"""The "ORM findings" panel for django-debug-toolbar: each request's N+1 queries (with the view
and template lines that ran them, and the fix), unused eager loads, duplicate statements and the
statement count per database alias, found by :mod:`profiler`.

Add it to the toolbar's panels, after its SQL panel::

    DEBUG_TOOLBAR_PANELS = [
        ...
        "debug_toolbar.panels.sql.SQLPanel",
        "profiler.contrib.debug_toolbar.panel.ORMFindingsPanel",
        ...
    ]

Only :mod:`.panel` imports ``debug_toolbar``; :mod:`.template_lines` and :mod:`.stats` work
without it.
"""
