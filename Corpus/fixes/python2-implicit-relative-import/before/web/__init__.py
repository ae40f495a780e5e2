from flask import Flask

app = Flask(__name__)
app.debug = True

from helpers import slugify
import views  # the routes
