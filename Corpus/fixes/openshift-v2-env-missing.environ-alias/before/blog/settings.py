import os

ENV = dict(os.environ)
DEFAULTS = {'OPENSHIFT_APP_DNS': 'localhost'}

SERVER_NAME = DEFAULTS['OPENSHIFT_APP_DNS']
LOG_FILE = os.path.join(ENV['OPENSHIFT_LOG_DIR'], 'blog.log')
