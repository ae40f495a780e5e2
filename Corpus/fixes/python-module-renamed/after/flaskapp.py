from flask import Flask

import requests
import requests as requesocks

app = Flask(__name__)


def fetch(url):
    session = requesocks.session()
    session.proxies = {'http': 'socks5://127.0.0.1:9050'}
    return session.get(url).text


@app.route('/')
def index():
    return 'ok'
