from django.db import models


class Biker(models.Model):
    name = models.CharField(max_length=50)
