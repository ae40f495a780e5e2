import os


def app_secret(default):
    return os.environ.get('APP_SECRET', default)
