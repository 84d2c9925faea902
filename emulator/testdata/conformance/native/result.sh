#!/bin/sh
# A native (blackbox) action: the last line of stdout is the result, picked by the "shape"
# parameter (read from stdin, as OpenWhisk's proxy always writes it there).
params=$(cat)
echo "a log line"
case "$params" in
  *'"shape":"array"'*) echo '["a","b"]' ;;
  *'"shape":"error-code"'*) echo '{"error":"sorry","code":42}' ;;
  *'"shape":"plain"'*) echo 'plain text' ;;
  *'"shape":"string"'*) echo '"a JSON string"' ;;
  *'"shape":"blank-last"'*) printf '{"a":1}\n\n' ;;
  *'"shape":"exit"'*) echo '{"exit":3}'; exit 3 ;;
  *'"shape":"unicode"'*) echo '{"z":1,"winter":"❄ ☃ ❄","a":2}' ;;
  *'"shape":"big"'*) printf '{"big":"'; head -c 1100000 /dev/zero | tr '\0' x; echo '"}' ;;
  *) echo '{"ok":true}' ;;
esac
