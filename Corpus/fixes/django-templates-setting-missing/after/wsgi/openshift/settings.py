# Django settings for a small blog on an OpenShift gear (Django 1.6 era).
import os

BASE_DIR = os.path.dirname(os.path.abspath(__file__))
DEBUG = False
ALLOWED_HOSTS = ['*']
SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', 'not-a-secret-change-me')

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.sqlite3',
        'NAME': os.path.join(BASE_DIR, 'blog.sqlite3'),
    }
}

STATIC_URL = '/static/'
STATIC_ROOT = os.path.join(BASE_DIR, '..', 'static')

TEMPLATE_DIRS = (
    os.path.join(BASE_DIR, 'templates'),
)

TEMPLATE_CONTEXT_PROCESSORS = (
    'django.contrib.auth.context_processors.auth',
    'django.core.context_processors.request',
    'django.core.context_processors.static',
)

MIDDLEWARE = (
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.contrib.messages.middleware.MessageMiddleware',
)

ROOT_URLCONF = 'openshift.urls'

INSTALLED_APPS = (
    'django.contrib.admin',
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'django.contrib.messages',
    'django.contrib.staticfiles',
    'openshift.blog',
)

# Django 1.8 and later read templates from TEMPLATES; the old TEMPLATE_* settings are
# carried over (logrx, django-templates-setting-missing).
TEMPLATES = [
    {
        'BACKEND': 'django.template.backends.django.DjangoTemplates',
        'DIRS': list(globals().get('TEMPLATE_DIRS', ())),
        'APP_DIRS': True,
        'OPTIONS': {
            'context_processors': list(dict.fromkeys(
                # Django 1.x's django.core processors live in django.template now.
                ['django.template.context_processors.' + p.rsplit('.', 1)[1] if p.startswith('django.core.') else p
                 for p in globals().get('TEMPLATE_CONTEXT_PROCESSORS', ())]
                + [
                    'django.template.context_processors.debug',
                    'django.template.context_processors.request',
                    'django.contrib.auth.context_processors.auth',
                    'django.contrib.messages.context_processors.messages',
                ])),
        },
    },
]
