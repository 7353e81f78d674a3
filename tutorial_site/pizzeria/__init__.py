"""Topping, Pizza and Restaurant: the seed sheet's ``prefetch_related`` and ``Prefetch`` examples."""
