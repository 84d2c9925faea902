# A Python action: greets and logs.
import sys


def main(args):
    print("hello from python")
    print("warning on stderr", file=sys.stderr)
    return {"greeting": "Hello, %s!" % args.get("name", "world"), "place": args.get("place")}
