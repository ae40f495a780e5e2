import hashlib
import os
import urllib.parse


def openshift_secure(default_keys, secure_function='make_secure_key'):
    token = os.environ.get('OPENSHIFT_SECRET_TOKEN', 'local-development-token')
    keys = {}
    # for key in default_keys.iterkeys():  (the old loop, kept commented out)
    for key, value in default_keys.items():
        keys[key] = hashlib.sha256(token + key).hexdigest()
    return keys


def host_of(url):
    return urllib.parse.urlparse(url).hostname
