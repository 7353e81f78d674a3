"""Book → author (Person) → hometown (City), two foreign keys deep."""

from django.db import models


class City(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        verbose_name_plural = "cities"

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    name = models.CharField(max_length=200)
    hometown = models.ForeignKey(City, on_delete=models.CASCADE, related_name="people")

    class Meta:
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="books")

    def __str__(self) -> str:
        return self.title
