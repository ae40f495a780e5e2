from .base import *

DEBUG = True
ALLOWED_HOSTS = []
DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': os.path.join(BASE_DIR, 'dev.sqlite3')}}
