"""What the background tasks store: one row of figures per blog."""

from django.db import models

from tutorial_site.blog.models import Blog


class BlogStatistics(models.Model):
    """A blog's figures as of ``computed_at``, written by the statistics tasks (``tasks.py``).

    Each run recomputes them from the entries and overwrites the row, so running a task twice (a
    redelivered message after a crash) leaves the same figures: the task is idempotent.
    """

    # No reverse accessor on Blog ("+"): the blog app's models, and their select_related() choices,
    # stay as the lessons show them.
    blog = models.OneToOneField(Blog, on_delete=models.CASCADE, primary_key=True, related_name="+")
    entries = models.PositiveIntegerField()
    comments = models.PositiveIntegerField()
    pingbacks = models.PositiveIntegerField()
    mean_rating = models.FloatField(null=True, blank=True)
    latest_entry = models.DateField(null=True, blank=True)
    computed_at = models.DateTimeField()
    task_id = models.CharField(max_length=64, blank=True, help_text="The Celery task that wrote this row.")

    class Meta:
        verbose_name_plural = "blog statistics"
        ordering = ["blog"]

    def __str__(self) -> str:
        return f"statistics of blog {self.blog_id}"
