import time


def main(args):
    while True:
        time.sleep(1)
