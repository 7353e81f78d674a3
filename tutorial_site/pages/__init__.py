"""The site's pages: the home page, and what every page of the blog, library and pizzeria shares.

Each page comes in two versions, chosen with ``?strategy=``: ``lazy``, the first version one
writes, whose template reads relations row by row (the N+1 queries), and ``optimized``, the same
page with those relations loaded up front. Both render the same page.
"""
