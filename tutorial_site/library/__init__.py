"""City, Person and Book: the seed sheet's ``select_related('author__hometown')`` chain."""
