#!/bin/sh
# open-session: hands out a session token (used by a suite's setup).
#
# Params: user (string).
# Result: {"token": "tok-XXXXXXXX", "user": USER}

params=${1:-$(cat)}
user=$(printf '%s' "$params" | sed -n 's/.*"user"[[:space:]]*:[[:space:]]*"\([^"\\]*\)".*/\1/p')
activation=${__OW_ACTIVATION_ID:-0123456789abcdef0123456789abcdef}

printf '{"token": "tok-%s", "user": "%s"}\n' "$(printf '%s' "$activation" | cut -c1-8)" "${user:-anonymous}"
