"""Small hand-made rows for the profiler's tests (no seeding needed)."""

from tutorial_site.blog.models import Blog, Entry


def blogs_with_one_entry_each(count: int = 3) -> list[Blog]:
    """``count`` blogs named 'Blog 0'... with one entry each ('Entry 0'...)."""
    blogs = Blog.objects.bulk_create([Blog(name=f"Blog {i}", tagline="") for i in range(count)])
    Entry.objects.bulk_create(
        [
            Entry(
                blog=blog,
                headline=f"Entry {i}",
                body_text="",
                pub_date="2008-01-01",
                mod_date="2008-01-01",
                number_of_comments=0,
                number_of_pingbacks=0,
                rating=3,
            )
            for i, blog in enumerate(blogs)
        ]
    )
    return blogs
