"""
WSGI config for the hymn list. OpenShift V2 ran this file:
rhc env set OPENSHIFT_PYTHON_WSGI_APPLICATION=web/web_settings/wsgi.py
"""
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web_settings.settings")

from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
