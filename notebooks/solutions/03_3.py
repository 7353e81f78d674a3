# EXERCISE 03.3  (solution)
# aggregate() runs at once and returns one dict: wrap it in a function so check() can count its query.
answer = lambda: Entry.objects.aggregate(comments=Sum('number_of_comments'), rating=Avg('rating'))  # noqa: E731

check("03.3", answer)
