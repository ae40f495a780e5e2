from board import app as application
