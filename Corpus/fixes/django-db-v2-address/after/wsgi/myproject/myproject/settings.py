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
        'NAME': os.environ.get('OPENSHIFT_APP_NAME', 'events2015'),
        'USER': os.environ.get('OPENSHIFT_MYSQL_DB_USERNAME', 'adminAbCdEfG'),
        'PASSWORD': os.environ.get('OPENSHIFT_MYSQL_DB_PASSWORD', 'Xy12ab34Cd56'),
        'HOST': os.environ.get('OPENSHIFT_MYSQL_DB_HOST', '127.4.21.130'),      #$OPENSHIFT_MYSQL_DB_HOST',
        'PORT': os.environ.get('OPENSHIFT_MYSQL_DB_PORT', '3306'),         #'$OPENSHIFT_MYSQL_DB_PORT',
    }
}

STATIC_URL = '/static/'
