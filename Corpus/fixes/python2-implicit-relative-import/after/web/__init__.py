from flask import Flask

app = Flask(__name__)
app.debug = True

from .helpers import slugify
from . import views  # the routes
