from setuptools import setup

setup(name='Raskladka',
      version='1.0',
      description='OpenShift App',
      install_requires=['Flask', 'pymongo', 'mongoengine', 'django-userena-ce'],
     )
