from setuptools import setup

setup(name='Portfolio',
      version='1.0',
      description='A V2 Flask app',
      install_requires=[
          'Flask==0.11.1',
          'Flask-SQLAlchemy==2.1',
      ],
      )
