import os
import requests
import requesocks
from PIL import Image
from flask import Flask

application = Flask(__name__)
