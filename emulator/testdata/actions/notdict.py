def main(args):
    return "not a json object"
