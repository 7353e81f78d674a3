# EXERCISE 03.1  (solution)
# Filter first (WHERE), then values() BEFORE annotate(): the month is the GROUP BY.
answer = (
    Entry.objects.filter(pub_date__year=2008)
    .values(month=ExtractMonth('pub_date'))
    .annotate(entries=Count('id'), comments=Sum('number_of_comments'))
    .order_by('month')
)

check("03.1", answer)
