import os
BASE_DIR = os.path.dirname(os.path.dirname(__file__))

SECRET_KEY = 'not-a-real-key-0123456789'

INSTALLED_APPS = (
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'myproject',
)

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.mysql',
        'NAME': 'events2015',
        'USER': 'adminAbCdEfG',
        'PASSWORD': 'Xy12ab34Cd56',
        'HOST': '127.4.21.130',      #$OPENSHIFT_MYSQL_DB_HOST',
        'PORT': '3306',         #'$OPENSHIFT_MYSQL_DB_PORT',
    }
}

STATIC_URL = '/static/'
