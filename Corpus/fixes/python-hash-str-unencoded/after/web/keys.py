import hashlib
import os


def derived_key(name, salt=b'v2'):
    token = os.environ.get('APP_TOKEN', 'dev-token')
    digest = hashlib.sha256((token + '-' + name).encode('utf-8')).hexdigest()
    check = hashlib.md5((name + ":" + token).encode('utf-8'))
    raw = hashlib.sha1(salt + b'-').hexdigest()  # bytes already: left alone
    return digest, check.hexdigest(), raw
