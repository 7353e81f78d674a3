"""Background work with Celery: the statistics tasks, the table they fill, and the lab's worker services."""
