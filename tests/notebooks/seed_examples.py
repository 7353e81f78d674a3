"""The seed sheet's queryset examples, one entry per example, and the code each must appear as.

``sheet`` is the example's line in ``django-cheatsheet.md`` (comments stripped); ``code`` is the
text that must occur in a notebook code cell (whitespace-normalised). They differ only where the
sheet's line is pseudo-code that cannot run as written; ``why`` says why.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SeedExample:
    section: str
    sheet: str
    code: str = ""
    why: str = ""

    @property
    def expected(self) -> str:
        return self.code or self.sheet


E = SeedExample

SEED_EXAMPLES: list[SeedExample] = [
    # Save & Update
    E("save & update", "b = Blog(name='Beatles Blog', tagline='All the latest Beatles news.')"),
    E("save & update", "b.save()"),
    E("save & update", "entry = Entry.objects.get(pk=1)"),
    E("save & update", 'cheese_blog = Blog.objects.get(name="Cheddar Talk")'),
    E("save & update", "entry.blog = cheese_blog"),
    E("save & update", "entry.save()"),
    E("save & update", 'joe = Author.objects.create(name="Joe")'),
    E("save & update", "entry.authors.add(joe)"),
    E("save & update", 'john = Author.objects.create(name="John")'),
    E("save & update", 'paul = Author.objects.create(name="Paul")'),
    E(
        "save & update",
        "entry.authors.add(john, paul, ...)",
        "entry.authors.add(john, paul)",
        "a literal ... is not an Author",
    ),
    # Get or Filter: the lookups are named, not written out, in the sheet
    E("lookups", "(__exact, __iexact)", "Blog.objects.filter(name__exact='Beatles Blog')"),
    E("lookups", "(__exact, __iexact)", "Blog.objects.filter(name__iexact='beatles blog')"),
    E("lookups", "(__contains, __icontains)", "Entry.objects.filter(headline__contains='Lennon')"),
    E("lookups", "(__contains, __icontains)", "Entry.objects.filter(headline__icontains='lennon')"),
    E("all", "Entry.objects.all()"),
    E("all", "entry_list = list(Entry.objects.all())"),
    E("reverse", "my_queryset.reverse()[:5]"),
    E("filter", "Entry.objects.filter(pub_date__year=2006)"),
    E("filter", "Entry.objects.all().filter(pub_date__year=2006)"),
    E("filter", "Entry.objects.filter(pub_date__year=2005).order_by('-pub_date', 'headline')"),
    E(
        "filter",
        "Blog.objects.filter(entry__headline__contains='Lennon', entry__pub_date__year=2008)",
    ),
    E("order_by", "Entry.objects.order_by('?')"),
    E("order_by", "Entry.objects.order_by('blog__name', 'headline')"),
    E("order_by", "Entry.objects.order_by(Coalesce('summary', 'headline').asc())"),
    E("order_by", "Entry.objects.order_by(Coalesce('summary', 'headline').desc())"),
    E("order_by", "Entry.objects.order_by(Lower('headline').desc())"),
    E("exclude", "Entry.objects.exclude(pub_date__gt=datetime.date(2005, 1, 3), headline='Hello')"),
    E(
        "exclude",
        "Entry.objects.exclude(pub_date__gt=datetime.date(2005, 1, 3)).exclude(headline='Hello')",
    ),
    E("annotate", "q = Blog.objects.annotate(Count('entry'))"),
    E("annotate", "name_of_first_blog_entry = q[0].name"),
    E("annotate", "number_of_entries_on_the_first_blog = q[0].entry__count"),
    E("distinct", "Author.objects.distinct()"),
    E("distinct", "Entry.objects.order_by('blog').distinct('blog')"),
    E(
        "distinct",
        "Entry.objects.filter(pub_date__year=2005).order_by('-pub_date', 'headline').distinct('blog')",
    ),
    E("values", "Blog.objects.values()"),
    E("values", "Blog.objects.filter(name__startswith='Beatles').values()"),
    E("values", "Blog.objects.values(lower_name=Lower('name'))"),
    E("values", "Blog.objects.values('name__lower')"),
    E("values_list", "Entry.objects.values_list('id', 'headline')"),
    E("values_list", "Entry.objects.values_list('id', Lower('headline'))"),
    E("values_list", "Entry.objects.values_list('id').order_by('id')"),
    E("values_list", "Entry.objects.values_list('id', flat=True).order_by('id')"),
    E("values_list", "Author.objects.values_list('name', 'entry__headline')"),
    E("union", "qs1 = Author.objects.values_list('name')"),
    E("union", "qs2 = Entry.objects.values_list('headline')"),
    E("union", "qs3 = qs1.union(qs2).order_by('name')"),
    E("union", "qs1.intersection(qs2, qs3)"),
    E("union", "qs1.difference(qs2, qs3)"),
    # select_related / prefetch_related: notebook 02
    E("select_related", "e = Entry.objects.get(id=5)"),
    E("select_related", "b = e.blog"),
    E("select_related", "e = Entry.objects.select_related('blog').get(id=5)"),
    E(
        "select_related",
        "e = Entry.objects.select_related('blog', 'other_rlated_models', ...).get(id=5)",
        "Entry.objects.select_related('blog',",
        "'other_rlated_models', ... is a placeholder: any select_related with several fields",
    ),
    E("select_related", "b = Book.objects.select_related('author__hometown').get(id=4)"),
    E("select_related", "p = b.author"),
    E("select_related", "c = p.hometown"),
    E("select_related", "b = Book.objects.get(id=4)"),
    E("prefetch_related", "Pizza.objects.all().prefetch_related('toppings')"),
    E("prefetch_related", "Restaurant.objects.prefetch_related(Prefetch('pizzas__toppings'))"),
    E(
        "prefetch_related",
        "Pizza.objects.prefetch_related(Prefetch('restaurants', "
        "queryset=Restaurant.objects.select_related('best_pizza')))",
    ),
    E("prefetch_related", "vegetarian_pizzas = Pizza.objects.filter(vegetarian=True)"),
    E(
        "prefetch_related",
        "Restaurant.objects.prefetch_related(Prefetch('pizzas', to_attr='menu'), "
        "Prefetch('pizzas', queryset=vegetarian_pizzas, to_attr='vegetarian_menu'))",
    ),
    E(
        "prefetch_related",
        "Restaurant.objects.prefetch_related(Prefetch('pizzas', queryset=vegetarian_pizzas, "
        "to_attr='vegetarian_menu'), 'vegetarian_menu__toppings')",
    ),
    # annotate vs values: notebook 03
    E("annotate_vs_values", "Blog.objects.values('entry__authors', entries=Count('entry'))"),
    E(
        "annotate_vs_values",
        "Blog.objects.values('entry__authors').annotate(entries=Count('entry'))",
    ),
    E(
        "annotate_with_values",
        "Blog.objects.values('entry__authors__name__lower').annotate(entries=Count('entry'))",
    ),
    E(
        "annotate_with_values",
        "Blog.objects.values(entry__authors__name__lower=Lower('entry__authors__name'))"
        ".annotate(entries=Count('entry'))",
    ),
    E(
        "annotate_with_values",
        "Blog.objects.annotate(entry__authors__name__lower=Lower('entry__authors__name'))"
        ".values('entry__authors__name__lower').annotate(entries=Count('entry'))",
    ),
    E(
        "select_related_with_filter",
        "Entry.objects.filter(pub_date__gt=timezone.now()).select_related('blog')",
    ),
]
