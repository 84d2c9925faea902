def handler(args):
    return args
