# EXERCISE 03.1  (solution)
# values() before annotate(): the year is the GROUP BY.
from django.db.models.functions import ExtractYear

answer = (
    Entry.objects.values(year=ExtractYear('pub_date'))
    .annotate(entries=Count('id'))
    .order_by('year')
)

check("03.1", answer)
