import os

DEBUG = True
TEMPLATE_DEBUG = DEBUG

ADMINS = ()
MANAGERS = ADMINS

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.sqlite3',
        'NAME': os.path.join(os.path.dirname(__file__), 'shop.db'),
    }
}

TIME_ZONE = 'UTC'
USE_TZ = True

SECRET_KEY = 'not-a-secret-for-the-fixture'

ROOT_URLCONF = 'shop.urls'

INSTALLED_APPS = (
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
)
ALLOWED_HOSTS = ['*']  # OpenShift: the route's host (the router forwards only its routes' hosts)
