import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")

if 'OPENSHIFT_REPO_DIR' in os.environ:
    virtenv = os.environ['OPENSHIFT_PYTHON_DIR'] + '/virtenv/'

    os.environ['PYTHON_EGG_CACHE'] = os.path.join(
        virtenv, 'lib/python2.7/site-packages')
    virtualenv = os.path.join(virtenv, 'bin/activate_this.py')
    try:
        execfile(virtualenv, dict(__file__=virtualenv))
    except:
        pass

from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
