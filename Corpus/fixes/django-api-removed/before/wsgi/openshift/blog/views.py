from django.shortcuts import get_object_or_404, render

from openshift.blog.models import Post


def index(request):
    return render(request, 'blog/index.html', {'posts': Post.objects.all()})


def detail(request, pk):
    return render(request, 'blog/detail.html', {'post': get_object_or_404(Post, pk=pk)})
