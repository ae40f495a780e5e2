import os

BASE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
INSTALLED_APPS = [
    'django.contrib.admin',
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'django.contrib.messages',
    'django.contrib.staticfiles',
]
ROOT_URLCONF = 'shop.urls'
STATIC_URL = '/static/'
