from setuptools import setup

setup(name='Portfolio',
      version='1.0',
      description='A V2 Flask app',
      install_requires=[
          'Flask',
          'Flask-SQLAlchemy',
      ],
      )
