import os

# the public names the app answers to
HOSTS = []
for key in ('OPENSHIFT_APP_DNS', 'OPENSHIFT_GEAR_DNS'):
    HOSTS.append(os.environ[key])
