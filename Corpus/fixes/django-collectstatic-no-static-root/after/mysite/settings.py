from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = 'x'
DEBUG = False
ALLOWED_HOSTS = ['*']
INSTALLED_APPS = ['django.contrib.staticfiles']
DATABASES = {}
STATIC_URL = 'static/'

# Where collectstatic puts the static files during the S2I build.
import os
STATIC_ROOT = os.path.join(BASE_DIR, 'staticfiles')
