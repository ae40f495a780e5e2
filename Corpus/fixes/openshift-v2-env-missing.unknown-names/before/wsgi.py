from server import application
