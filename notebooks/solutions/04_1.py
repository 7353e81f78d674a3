# EXERCISE 04.1  (solution)
# exclude() asks that NO entry matches; filter(entry__number_of_comments__lte=197) would keep a blog
# as soon as ANY entry has 197 comments or fewer.
answer = Blog.objects.exclude(entry__number_of_comments__gt=197)

check("04.1", answer)
