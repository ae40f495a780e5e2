import bottle

application = bottle.Bottle()


@application.route('/')
def index():
    return 'Saluton!'
