from setuptools import setup

setup(packages=[], name='ditroboticstw',
      version='1.0',
      description='OpenShift App',
#      install_requires=['Django>=1.3'],
     )
