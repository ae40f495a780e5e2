from django.urls import include, path

urlpatterns = [
    path('api/', include(('api.urls', 'api'), namespace='api')),
    path('v1/', include(("api.urls", "api-v1"), namespace="api-v1")),
]
