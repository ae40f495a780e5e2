import os
from flask import Flask
app = Flask(__name__)
if __name__ == '__main__':
    app.run(host=os.environ.get('OPENSHIFT_PYTHON_IP', 'localhost'), port=int(os.environ.get('OPENSHIFT_PYTHON_PORT', 8080)))
