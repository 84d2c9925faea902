import iamnotsupported


def main(args):
    return {"error": "not reaching here"}
