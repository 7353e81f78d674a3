"""Blogs whose statistics are easy to check by hand."""

import datetime

from tutorial_site.blog.models import Blog, Entry

EXPECTED = {
    # blog name: (entries, comments, pingbacks, mean rating, latest entry)
    "Busy": (3, 30, 3, 3.0, datetime.date(2024, 3, 1)),
    "Quiet": (1, 5, 0, 5.0, datetime.date(2023, 1, 1)),
    "Empty": (0, 0, 0, None, None),
}


def blogs_with_known_statistics() -> dict[str, Blog]:
    """Three blogs: 'Busy' (3 entries), 'Quiet' (1) and 'Empty' (none); figures in ``EXPECTED``."""
    blogs = {name: Blog.objects.create(name=name, tagline="") for name in EXPECTED}
    entries = [
        ("Busy", 10, 1, 2, "2024-01-01"),
        ("Busy", 15, 2, 3, "2024-03-01"),
        ("Busy", 5, 0, 4, "2024-02-01"),
        ("Quiet", 5, 0, 5, "2023-01-01"),
    ]
    Entry.objects.bulk_create(
        Entry(
            blog=blogs[name],
            headline=f"{name} {i}",
            body_text="",
            pub_date=date,
            mod_date=date,
            number_of_comments=comments,
            number_of_pingbacks=pingbacks,
            rating=rating,
        )
        for i, (name, comments, pingbacks, rating, date) in enumerate(entries)
    )
    return blogs


def stored_figures() -> dict[str, tuple[object, ...]]:
    """The figures in BlogStatistics, by blog name."""
    from tutorial_site.workers.models import BlogStatistics

    return {
        row.blog.name: (row.entries, row.comments, row.pingbacks, row.mean_rating, row.latest_entry)
        for row in BlogStatistics.objects.select_related("blog")
    }
