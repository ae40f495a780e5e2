from setuptools import setup
setup(name='YourAppName', version='1.0',
      install_requires=['Django<=1.6', 'pymongo', 'Flask'],
)
