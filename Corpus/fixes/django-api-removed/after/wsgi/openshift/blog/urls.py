from django.urls import path
import openshift.blog.views

urlpatterns = [
    path('', openshift.blog.views.index, name='blog-index'),
    path('<int:pk>/', openshift.blog.views.detail, name='blog-detail'),
]
