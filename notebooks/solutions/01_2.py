# EXERCISE 01.2  (solution)
# annotate() on Blog uses a LEFT OUTER JOIN, so blogs without entries keep a count of 0.
answer = Blog.objects.annotate(n=Count('entry')).values_list('name', 'n')

check("01.2", answer)
