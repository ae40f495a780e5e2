import config
config.init_db()
application = config.app
