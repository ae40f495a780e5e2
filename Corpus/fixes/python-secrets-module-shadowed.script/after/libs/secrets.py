import json

_defaults = {
    'secret_key': 'dev-only',
}

def getter(path):
    try:
        with open(path) as handle:
            return json.load(handle)
    except IOError:
        return _defaults

def generator():
    from django.utils.crypto import get_random_string
    chars = 'abcdefghijklmnopqrstuvwxyz0123456789'
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
