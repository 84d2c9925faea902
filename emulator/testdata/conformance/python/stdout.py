# Logs without a final newline, then a result: they travel on separate channels.
import sys


def main(args):
    sys.stdout.write("no newline at the end")
    return {"ok": True}
