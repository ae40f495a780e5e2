from django.http import HttpResponse
from django.urls import path

from utils.dates import overlap

urlpatterns = [
    path('', lambda request: HttpResponse(str(overlap((1, 3), (2, 4))))),
]
