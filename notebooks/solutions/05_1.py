# EXERCISE 05.1  (solution)
# The template reads book.author, then book.author.hometown: two foreign keys, one after the other.
# select_related follows both in the one query, with two JOINs.
def answer():
    return Book.objects.select_related("author__hometown").order_by("title", "id")[:50]

check("05.1", as_books_page(answer))
