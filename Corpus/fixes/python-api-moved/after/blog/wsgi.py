import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blog.settings")

from django.core.wsgi import get_wsgi_application
from whitenoise import WhiteNoise


def DjangoWhiteNoise(application):  # whitenoise 4 removed whitenoise.django
    from django.conf import settings
    return WhiteNoise(application, root=settings.STATIC_ROOT, prefix=settings.STATIC_URL)

application = get_wsgi_application()
application = DjangoWhiteNoise(application)
