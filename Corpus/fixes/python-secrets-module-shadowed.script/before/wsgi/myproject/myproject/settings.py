import os
DJ_PROJECT_DIR = os.path.dirname(__file__)
BASE_DIR = os.path.dirname(DJ_PROJECT_DIR)
WSGI_DIR = os.path.dirname(BASE_DIR)
REPO_DIR = os.path.dirname(WSGI_DIR)

import sys
sys.path.append(os.path.join(REPO_DIR, 'libs'))
# import secrets
# SECRETS = secrets.getter(os.path.join(DATA_DIR, 'secrets.json'))

SECRET_KEY = 'not-a-real-key-0123456789'

INSTALLED_APPS = (
    'django.contrib.auth',
    'django.contrib.contenttypes',
)
