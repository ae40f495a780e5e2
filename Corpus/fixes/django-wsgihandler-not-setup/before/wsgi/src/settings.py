SECRET_KEY = 'not-a-real-key'
INSTALLED_APPS = ('django.contrib.auth', 'django.contrib.contenttypes')
ROOT_URLCONF = 'src.urls'
