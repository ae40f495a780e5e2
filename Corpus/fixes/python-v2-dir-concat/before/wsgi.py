from web import app as application
