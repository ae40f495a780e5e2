from django.shortcuts import render_to_response
from django.template import RequestContext

from openshift.blog.models import Post


def home(request):
    posts = Post.objects.order_by('-published')[:5]
    return render_to_response('home.html', {'posts': posts}, context_instance=RequestContext(request))
