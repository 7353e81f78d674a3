"""Blog, Author and Entry: the models of the seed sheet's queryset examples."""
