#!/usr/bin/env python
# Secrets for the Django settings module, kept outside the source tree.
#
# settings.py calls getter() with the path of $OPENSHIFT_DATA_DIR/secrets.json.
# The deploy action hook creates that file on the first push by running this
# module as a script:  python libs/secrets.py > secrets.json
import json

_defaults = {
    'secret_key': 'a',
}


def getter(path):
    """Return the secrets stored at path, or the built-in defaults."""
    try:
        with open(path) as handle:
            return json.load(handle)
    except IOError:
        return _defaults


def generator():
    """Return new secrets, made the way 'django-admin startproject' does."""
    from django.utils.crypto import get_random_string
    chars = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)'
    _defaults['secret_key'] = get_random_string(50, chars)
    return _defaults


if __name__ == '__main__':
    # Run as a script, this file's folder comes first on sys.path, where this file
    # would hide the standard library's secrets module from Django 3.0 and later.
    import os
    import sys
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    print(json.dumps(generator()))
