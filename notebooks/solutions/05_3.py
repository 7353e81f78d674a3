# EXERCISE 05.3  (solution)
# Found with TemplateLines, as in section 2:
#     with profiler.capture() as queries, TemplateLines() as lines:
#         client.get(page("blog:author").url("lazy"))
#     where = lines.for_queries(queries)
#     [(f.relation, where[id(f.queries[0])]) for f in queries.n_plus_one()]
# The blog is read on line 13 of the author's template; the authors in the included _authors.html.
answer = lambda: {("Entry.blog", "blog/author_detail.html:13"), ("Entry.authors", "blog/_authors.html:1")}

check("05.3", answer)
