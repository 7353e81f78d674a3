# EXERCISE 04.2  (solution)
# Both conditions must hold for the same entry: exclude those entries, not the two conditions apart.
answer = Blog.objects.exclude(
    entry__in=Entry.objects.filter(headline__contains='Lennon', pub_date__year=2008)
)

check("04.2", answer)
