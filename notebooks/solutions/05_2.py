# EXERCISE 05.2  (solution)
# The best pizza is a foreign key: a JOIN (select_related). The pizzas, and each pizza's toppings,
# are many-to-many: one query each (prefetch_related follows the path pizzas__toppings).
def answer():
    return (
        Restaurant.objects.select_related("best_pizza")
        .prefetch_related("pizzas__toppings")
        .order_by("name", "id")
    )

check("05.2", as_menu(answer))
