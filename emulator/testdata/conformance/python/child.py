import subprocess


def main(args):
    # Returns while a child process it started still runs, holding stdout: the answer does
    # not wait for it, and what it prints later is not part of this activation.
    subprocess.Popen(["sh", "-c", "sleep 0.5; echo child-late; sleep 30"])
    return {"ok": 1}
