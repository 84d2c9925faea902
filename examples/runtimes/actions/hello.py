"""hello.py: a Python action for NCP Cloud Functions (OpenWhisk).

main receives the parameters as one dict and returns the result, a dict. A
result with a top-level "error" key is an "application error".

Params: name (default "World"), place (bound on the package), fail (when
true, returns an error).
"""

import sys


def main(args):
    name = args.get("name", "World")
    print(f"greeting {name}", file=sys.stderr)  # goes to the activation's logs
    if args.get("fail"):
        return {"error": f"cannot greet {name}"}
    return {
        "message": f"Hello, {name}!",
        "place": args.get("place"),
        "runtime": "python",
        "python": "%d.%d" % sys.version_info[:2],
    }
