from os import environ, path

UPLOADS = path.join(environ['OPENSHIFT_DATA_DIR'], 'uploads')
