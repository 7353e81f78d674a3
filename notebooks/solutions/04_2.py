# EXERCISE 04.2  (solution)
# Both conditions must hold for the same entry: exclude the blogs of those entries.
answer = Blog.objects.exclude(
    entry__in=Entry.objects.filter(pub_date__lt=datetime.date(2004, 4, 1), number_of_comments__gt=195)
)

check("04.2", answer)
