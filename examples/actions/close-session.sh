#!/bin/sh
# close-session: ends a session (used by a suite's teardown).
#
# Params: token (string).
# Result: {"closed": true, "token": TOKEN}

params=${1:-$(cat)}
token=$(printf '%s' "$params" | sed -n 's/.*"token"[[:space:]]*:[[:space:]]*"\([^"\\]*\)".*/\1/p')

echo "closing session $token" >&2
printf '{"closed": true, "token": "%s"}\n' "$token"
