import Crypto
import psycopg2
from flask import Flask
application = Flask(__name__)
