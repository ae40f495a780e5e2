from django.urls import include, path

from django.contrib import admin
import openshift.views
import django.views.generic
import django.contrib.auth.views
admin.autodiscover()

urlpatterns = [
    # The front page and the blog.
    path('', openshift.views.home, name='home'),
    path('blog/', include('openshift.blog.urls')),
    path('about/', django.views.generic.TemplateView.as_view(template_name='about.html')),
    path('accounts/login/', django.contrib.auth.views.LoginView.as_view()),
    path('admin/', include(admin.site.urls)),
]
