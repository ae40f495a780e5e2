import urllib2


def fetch(url):
    try:
        return urllib2.urlopen(url, timeout=10).read()
    except urllib2.URLError, e:
        print "cannot fetch %s: %s" % (url, e)
        return None


def titles(entries):
    if entries.has_key('items'):
        return [unicode(item['title']) for item in entries['items']]
    return []
