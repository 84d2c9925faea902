#!/bin/sh
# get-order: looks an order up by id.
#
# Params: id (string, "ord-" followed by 8 hex digits).
# Result: {"id": ID, "status": "created"}, or {"error": "..."} when the id is
# missing or malformed.

params=${1:-$(cat)}

id=$(printf '%s' "$params" | sed -n 's/.*"id"[[:space:]]*:[[:space:]]*"\([^"\\]*\)".*/\1/p')

case $id in
ord-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f])
	printf '{"id": "%s", "status": "created"}\n' "$id"
	;;
*)
	printf '{"error": "no order with id \\"%s\\""}\n' "$id"
	;;
esac
