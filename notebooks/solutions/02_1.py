# EXERCISE 02.1  (solution)
# The blog is one row per entry: a JOIN (select_related). The authors are many per entry:
# one more query for all of them (prefetch_related). 2 queries whatever the number of entries.
def answer():
    entries = Entry.objects.select_related("blog").prefetch_related("authors").order_by("id")[:20]
    return [(e.headline, e.blog.name, sorted(a.name for a in e.authors.all())) for e in entries]

check("02.1", answer)
