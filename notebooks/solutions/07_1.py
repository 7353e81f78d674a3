# EXERCISE 07.1  (solution)
# Compare the column itself with two dates: the WHERE clause reads
# "pub_date" BETWEEN '2008-02-01' AND '2008-02-29', which an index on pub_date serves. 2008 is a leap
# year, and __range includes both ends (pub_date__gte=date(2008, 2, 1), pub_date__lt=date(2008, 3, 1)
# says the same without counting days).
answer = (
    Entry.objects.filter(pub_date__range=(datetime.date(2008, 2, 1), datetime.date(2008, 2, 29)))
    .order_by("pub_date", "headline")
    .values_list("headline", "pub_date")
)

check("07.1", answer)
