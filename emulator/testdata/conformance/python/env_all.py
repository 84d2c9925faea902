import os


def main(args):
    # The whole environment the action sees.
    return {"env": dict(os.environ)}
