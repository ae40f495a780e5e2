import os

GREETING = os.environ.get('GREETING', 'Downtown')
