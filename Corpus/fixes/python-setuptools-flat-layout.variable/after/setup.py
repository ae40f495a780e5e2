from setuptools import setup
import os

packages = ['Django<=1.6',]

if 'REDISCLOUD_URL' in os.environ:
     packages.append('django-redis-cache')

setup(name='YourAppName',
      version='1.0',
      description='OpenShift App',
      packages=[],
      install_requires=packages,
)
