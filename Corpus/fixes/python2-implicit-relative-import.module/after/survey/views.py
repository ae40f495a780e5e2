from django.http import HttpResponse

from .models import Biker
from . import forms


def index(request):
    form = forms.BikerForm()
    return HttpResponse('%d bikers %s' % (Biker.objects.count(), form.as_p()))
