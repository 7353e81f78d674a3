# EXERCISE 04.3  (solution)
# exclude() keeps the NULL summaries: drop them explicitly.
answer = Entry.objects.filter(summary__isnull=False).exclude(summary__icontains='the')

check("04.3", answer)
