from myapp import create_app

application = create_app()
