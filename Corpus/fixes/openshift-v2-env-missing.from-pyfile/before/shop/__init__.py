import os
from flask import Flask

from shop.paths import UPLOADS

app = Flask(__name__)
app.config.from_pyfile('../settings.cfg')
