# EXERCISE 03.2  (solution)
# Both Counts follow joins that multiply rows: count each entry and each author once.
answer = Blog.objects.annotate(
    entries=Count('entry', distinct=True),
    authors=Count('entry__authors', distinct=True),
).values_list('name', 'entries', 'authors')

check("03.2", answer)
