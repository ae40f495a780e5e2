from django.urls import include, path

urlpatterns = [
    path('api/', include('api.urls', namespace='api')),
    path('v1/', include("api.urls" , namespace = "api-v1")),
]
