#!/bin/sh
# Crashes without a result.
echo "about to crash" >&2
exit 3
