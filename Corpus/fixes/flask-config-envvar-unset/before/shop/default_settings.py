SHOP_NAME = 'shop'
DEBUG = False
