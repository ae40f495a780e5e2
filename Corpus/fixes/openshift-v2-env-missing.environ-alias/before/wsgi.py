from blog import app as application
