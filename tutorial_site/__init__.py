"""The tutorial site: a small Django project whose seeded data the notebooks query."""
