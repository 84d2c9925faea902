#!/bin/sh
# greet: a native ("blackbox") action in POSIX sh.
#
# Contract (the same on NCP Cloud Functions and in `specrun --local`):
# the parameters arrive as one JSON object in the last argument and on stdin;
# the last line of stdout must be a JSON object: the result. Everything else
# printed (stdout and stderr) becomes the activation's logs.
#
# Params: name (string, default "world"), place (bound on the package).
# Result: {"message": "Hello, NAME!", "place": PLACE, "action": ACTION_NAME}

params=${1:-$(cat)}

# A tiny field reader for flat JSON objects (no jq needed).
field() {
	printf '%s' "$params" | sed -n 's/.*"'"$1"'"[[:space:]]*:[[:space:]]*"\([^"\\]*\)".*/\1/p'
}

name=$(field name)
place=$(field place)

echo "greeting ${name:-world}" >&2 # a log line

printf '{"message": "Hello, %s!", "place": "%s", "action": "%s"}\n' \
	"${name:-world}" "$place" "${__OW_ACTION_NAME:-greet}"
