import urllib.request, urllib.error, urllib.parse


def fetch(url):
    try:
        return urllib.request.urlopen(url, timeout=10).read()
    except urllib.error.URLError as e:
        print("cannot fetch %s: %s" % (url, e))
        return None


def titles(entries):
    if 'items' in entries:
        return [str(item['title']) for item in entries['items']]
    return []
