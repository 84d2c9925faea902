#!/bin/sh
# Prints a log line, then the parameters it got in argv and on stdin as the result.
stdin=$(cat)
echo "got params"
printf '{"argv":%s,"stdin":%s}\n' "$1" "$stdin"
