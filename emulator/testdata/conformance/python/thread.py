import threading
import time


def _worker():
    time.sleep(1)
    print("late")
    while True:
        time.sleep(1)


def main(args):
    # Returns while a non-daemon thread still runs: the action loop proxy answers as soon as
    # the result line is written, and what the thread prints later is not part of this activation.
    print("returning")
    threading.Thread(target=_worker).start()
    return {"ok": 1}
