from flask import Flask

import keyring_helpers
from keyring_helpers import app_secret

app = Flask(__name__)
app.secret_key = keyring_helpers.app_secret('dev-only')


@app.route('/')
def index():
    return 'ok'
