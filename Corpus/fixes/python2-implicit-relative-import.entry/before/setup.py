from setuptools import setup

setup(name='Downtown', version='1.0', install_requires=['Flask>=2.3'])
