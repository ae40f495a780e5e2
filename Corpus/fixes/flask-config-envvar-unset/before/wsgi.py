from shop import app as application
