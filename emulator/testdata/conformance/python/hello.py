import sys


def main(args):
    print("hello stdout")
    print("hello stderr", file=sys.stderr)
    return {"payload": args.get("payload")}
