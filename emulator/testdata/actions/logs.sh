#!/bin/sh
# Logs on stdout and stderr, then returns an application error.
echo "first"
echo "second"
echo "to stderr" >&2
echo '{"error":"bad input","code":7}'
