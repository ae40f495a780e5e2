from os import environ
from os.path import abspath, dirname, join

BASE_DIR = dirname(dirname(abspath(__file__)))
SECRET_KEY = environ.get('DJANGO_SECRET_KEY', 'dev-only')
DEBUG = False
ALLOWED_HOSTS = ['*']
INSTALLED_APPS = [
    'django.contrib.contenttypes',
    'django.contrib.staticfiles',
]
ROOT_URLCONF = 'myproject.urls'
WSGI_APPLICATION = 'myproject.wsgi.application'
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.sqlite3',
        'NAME': join(BASE_DIR, 'db.sqlite3'),
    }
}
STATIC_URL = '/static/'
STATIC_ROOT = join(BASE_DIR, 'staticfiles')
