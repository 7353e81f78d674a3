# EXERCISE 01.3  (solution)
# The join through entries repeats an author per matching entry: distinct() removes the repeats.
answer = (
    Author.objects.filter(entry__pub_date__year=2008)
    .values_list('name', flat=True)
    .distinct()
    .order_by('name')
)

check("01.3", answer)
