from django.shortcuts import render
from django.template import RequestContext

from openshift.blog.models import Post


def home(request):
    posts = Post.objects.order_by('-published')[:5]
    return render(request, 'home.html', {'posts': posts})
