from django.conf.urls.defaults import *
from django.views.generic.simple import direct_to_template

from django.contrib import admin
admin.autodiscover()

urlpatterns = patterns('',
    # The front page and the blog.
    url(r'^$', 'openshift.views.home', name='home'),
    url(r'^blog/', include('openshift.blog.urls')),
    (r'^about/$', direct_to_template, {'template': 'about.html'}),
    url(r'^accounts/login/$', 'django.contrib.auth.views.login'),
    url(r'^admin/', include(admin.site.urls)),
)
