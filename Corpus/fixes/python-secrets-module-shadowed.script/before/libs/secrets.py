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
    print(json.dumps(generator()))
