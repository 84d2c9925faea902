#!/bin/sh
# create-order: validates its input and returns a new order.
#
# Params: item (string), quantity (positive integer).
# Result: {"id": "ord-XXXXXXXX", "item": ..., "quantity": N, "status": "created",
#          "created_at": RFC 3339 time}
# A missing item or a quantity below 1 returns {"error": "..."}, which the
# platform reports as status "application error" with success false.

params=${1:-$(cat)}

str() {
	printf '%s' "$params" | sed -n 's/.*"'"$1"'"[[:space:]]*:[[:space:]]*"\([^"\\]*\)".*/\1/p'
}
num() {
	printf '%s' "$params" | sed -n 's/.*"'"$1"'"[[:space:]]*:[[:space:]]*\(-\{0,1\}[0-9][0-9]*\).*/\1/p'
}

item=$(str item)
quantity=$(num quantity)

if [ -z "$item" ]; then
	printf '{"error": "item is required"}\n'
	exit 0
fi
if [ -z "$quantity" ] || [ "$quantity" -lt 1 ]; then
	printf '{"error": "quantity must be a positive integer", "field": "quantity"}\n'
	exit 0
fi

# The activation id (32 hex digits) gives each order a fresh id.
activation=${__OW_ACTIVATION_ID:-0123456789abcdef0123456789abcdef}
id="ord-$(printf '%s' "$activation" | cut -c1-8)"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)

echo "created order $id"
printf '{"id": "%s", "item": "%s", "quantity": %s, "status": "created", "created_at": "%s"}\n' \
	"$id" "$item" "$quantity" "$now"
