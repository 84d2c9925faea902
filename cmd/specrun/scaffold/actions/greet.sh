#!/bin/sh
# greet: a native ("blackbox") action in POSIX sh.
#
# The parameters arrive as one JSON object in the last argument and on stdin;
# the last line of stdout must be a JSON object: the result. Everything else
# printed (stdout and stderr) becomes the activation's logs.

params=${1:-$(cat)}

# A tiny field reader for flat JSON objects (no jq needed).
name=$(printf '%s' "$params" | sed -n 's/.*"name"[[:space:]]*:[[:space:]]*"\([^"\\]*\)".*/\1/p')

echo "greeting ${name:-world}" >&2 # a log line

printf '{"message": "Hello, %s!"}\n' "${name:-world}"
