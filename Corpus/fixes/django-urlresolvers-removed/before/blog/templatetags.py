from django import template
from django.core import urlresolvers

register = template.Library()


@register.simple_tag
def url_of(name):
    return urlresolvers.reverse(name)
