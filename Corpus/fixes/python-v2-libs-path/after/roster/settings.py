import os

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', 'dev-only-key')
DEBUG = False
ALLOWED_HOSTS = ['*']
INSTALLED_APPS = [
    'django.contrib.contenttypes',
    'django.contrib.staticfiles',
]
MIDDLEWARE = [
    'django.middleware.common.CommonMiddleware',
]
ROOT_URLCONF = 'roster.urls'
TEMPLATES = [
    {
        'BACKEND': 'django.template.backends.django.DjangoTemplates',
        'DIRS': [],
        'APP_DIRS': True,
    },
]
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.sqlite3',
        'NAME': os.path.join(BASE_DIR, 'db.sqlite3'),
    }
}
STATIC_URL = '/static/'
STATIC_ROOT = os.path.join(BASE_DIR, 'staticfiles')
LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'handlers': {'console': {'class': 'logging.StreamHandler'}},
    'root': {'handlers': ['console'], 'level': 'INFO'},
}

# OpenShift V2 had the repository's libs/ on the module path (the python cartridge's
# WSGIPythonPath); the code imports its packages by their bare names. Appended, so that
# the standard library still comes first (libs/secrets.py must not hide `secrets`).
import os as _os
import sys as _sys
V2_LIBS_DIR = _os.path.join(_os.environ.get('OPENSHIFT_REPO_DIR', '/opt/app-root/src'), 'libs')
if V2_LIBS_DIR not in _sys.path:
    _sys.path.append(V2_LIBS_DIR)
