from setuptools import setup

setup(name='Raskladka',
      version='1.0',
      description='OpenShift App',
      install_requires=['Flask', 'pymongo==2.8.1', 'mongoengine', 'django-userena==1.1.2'],
     )
