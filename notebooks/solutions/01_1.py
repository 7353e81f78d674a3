# EXERCISE 01.1  (solution)
answer = (
    Entry.objects.filter(pub_date__year=2006)
    .order_by('-number_of_comments', 'headline')
    .values_list('headline', 'number_of_comments')[:5]
)

check("01.1", answer)
