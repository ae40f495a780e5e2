import hashlib
import logging
import os
from wsgiref.simple_server import make_server

SALT = hashlib.sha256((os.environ['OPENSHIFT_APP_UUID'] + 'salt').encode()).hexdigest()
GEAR = os.environ['OPENSHIFT_GEAR_NAME']
logging.basicConfig(filename=os.path.join(os.environ['OPENSHIFT_DIY_LOG_DIR'], 'server.log'))


def application(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [('%s %s' % (GEAR, SALT[:8])).encode()]


if __name__ == '__main__':
    make_server(os.environ['OPENSHIFT_INTERNAL_IP'], int(os.environ['OPENSHIFT_INTERNAL_PORT']), application).serve_forever()
