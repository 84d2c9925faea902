# python_shim.py runs a Python action for specrun's emulator the way OpenWhisk's Python runtime
# does (apache/openwhisk-runtime-python: bin/compile, then lib/launcher.py behind the action
# loop proxy): python3 -c SHIM FILE MAIN.
#
# The parameters arrive as one JSON object on stdin. The answers travel on file descriptor 3,
# never on stdout, one line each:
#
#   init 502 {"error":"..."}   the source does not parse (the compile step failed)
#   init 200 {"ok":true}       the module was imported and MAIN found (the launcher's ack)
#   result LINE                what main returned, as json.dumps wrote it (the launcher's line)
#
# An exception while importing prints its traceback and exits before the ack; sys.exit in main
# exits before the result line: the emulator answers those as the action loop proxy does.
# After the result line the process ends at once, running threads or not.
import ast
import importlib.machinery
import importlib.util
import json
import os
import sys
import traceback


def _answer(out, line):
    out.write(line.encode("utf-8") + b"\n")
    out.flush()


def _compiles(path):
    with open(path, "rb") as f:
        source = f.read().decode("utf-8")
    try:
        ast.parse(source)
    except SyntaxError as er:
        sys.stderr.write(str(er.msg) + "\n")
        return False
    return True


def _load(path, name):
    # No __pycache__ next to the action: the emulator runs the user's own files.
    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.dirname(path))
    loader = importlib.machinery.SourceFileLoader("main__", path)
    spec = importlib.util.spec_from_loader("main__", loader)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["main__"] = mod
    loader.exec_module(mod)
    main = getattr(mod, name, None)
    if main is None:
        raise ImportError("cannot import name '%s' from 'main__' (%s)" % (name, path))
    return main


def _run():
    path = sys.argv[1]
    name = sys.argv[2] if len(sys.argv) > 2 else "main"
    sys.argv = [path]
    out = os.fdopen(3, "wb")
    if not _compiles(path):
        _answer(out, 'init 502 {"error": "The action failed to generate or locate a binary. See logs for details."}')
        return
    main = _load(path, name)
    _answer(out, 'init 200 {"ok": true}')
    data = sys.stdin.read()
    payload = json.loads(data) if data.strip() else {}
    try:
        res = main(payload)
    except Exception as ex:
        print(traceback.format_exc(), file=sys.stderr)
        res = {"error": str(ex)}
    line = json.dumps(res, ensure_ascii=False)
    sys.stdout.flush()
    sys.stderr.flush()
    _answer(out, "result " + line)
    # The launcher's process lives on after the result line and the action loop proxy answers
    # at once: threads still running are not waited for, and what they print later is not
    # this activation's. Ending here, without the interpreter's wait for non-daemon threads,
    # answers when OpenWhisk does.
    os._exit(0)


_run()
sys.stdout.flush()
sys.stderr.flush()
