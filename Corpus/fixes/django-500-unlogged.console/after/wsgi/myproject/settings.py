import os

DEBUG = False
ALLOWED_HOSTS = ['*']
INSTALLED_APPS = (
    'django.contrib.admin',
    'django.contrib.auth',
)

# A sample logging configuration. The only tangible logging
# performed by this configuration is to send an email to
# the site admins on every HTTP 500 error.
LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'handlers': {
        'mail_admins': {
            'level': 'ERROR',
            'class': 'django.utils.log.AdminEmailHandler'
        }
    },
    'loggers': {
        'django.request': {
            'handlers': ['mail_admins'],
            'level': 'ERROR',
            'propagate': True,
        },
    }
}

# Errors reach `oc logs` only through a console handler (added for OpenShift).
LOGGING.setdefault('handlers', {})['console'] = {'class': 'logging.StreamHandler'}
for _logger in LOGGING.setdefault('loggers', {}).values():
    if not _logger.get('propagate', True) and 'console' not in _logger.get('handlers', []):
        _logger['handlers'] = list(_logger.get('handlers', [])) + ['console']
_root = LOGGING.setdefault('root', {'level': 'INFO'})
if 'console' not in _root.get('handlers', []):
    _root['handlers'] = list(_root.get('handlers', [])) + ['console']
