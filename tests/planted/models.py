from django.db import models


class Parcel(models.Model):
    label = models.CharField(max_length=40)

    def __str__(self) -> str:
        return self.label
