# An entry point other than main (manifest main: niam).
def niam(args):
    return {"called": "niam", "payload": args.get("payload")}
