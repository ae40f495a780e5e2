import hashlib
import os


def derived_key(name, salt=b'v2'):
    token = os.environ.get('APP_TOKEN', 'dev-token')
    digest = hashlib.sha256(token + '-' + name).hexdigest()
    check = hashlib.md5(name + ":" + token)
    raw = hashlib.sha1(salt + b'-').hexdigest()  # bytes already: left alone
    return digest, check.hexdigest(), raw
