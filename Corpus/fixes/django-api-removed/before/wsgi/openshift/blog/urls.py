from django.conf.urls import patterns, url

urlpatterns = patterns('openshift.blog.views',
    url(r'^$', 'index', name='blog-index'),
    url(r'^(?P<pk>\d+)/$', 'detail', name='blog-detail'),
)
