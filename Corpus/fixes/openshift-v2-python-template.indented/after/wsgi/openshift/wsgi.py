import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")

if 'OPENSHIFT_REPO_DIR' in os.environ:
    pass  # OpenShift V2 virtualenv activation removed: the S2I image's virtualenv is already active.

from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
