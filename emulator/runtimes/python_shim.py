# python_shim.py runs a Python action for specrun's emulator: python3 -c SHIM FILE.
# It reads the parameters (a JSON object) from stdin, loads FILE, calls its main(args) and
# prints the returned dict as JSON on the last line of stdout. print() output from the action
# goes before it and becomes the activation's logs.
import importlib.machinery
import importlib.util
import json
import os
import sys
import traceback


def _run():
    path = sys.argv[1]
    sys.argv = [path]
    sys.path.insert(0, os.path.dirname(path))
    data = sys.stdin.read()
    params = json.loads(data) if data.strip() else {}
    loader = importlib.machinery.SourceFileLoader("__action__", path)
    spec = importlib.util.spec_from_loader("__action__", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    main = getattr(mod, "main", None)
    if not callable(main):
        sys.stderr.write(path + " defines no main function: add def main(args): ...\n")
        return 1
    result = main(params)
    if not isinstance(result, dict):
        sys.stderr.write("main returned %s, not a dict\n" % type(result).__name__)
        return 1
    line = json.dumps(result, allow_nan=False, separators=(",", ":"))
    sys.stdout.flush()
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    return 0


try:
    code = _run()
except SystemExit:
    raise
except BaseException:
    traceback.print_exc()
    code = 1
sys.stderr.flush()
sys.exit(code)
