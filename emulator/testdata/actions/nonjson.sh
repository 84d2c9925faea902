#!/bin/sh
# Its last stdout line is not a JSON object.
echo '{"a":1}'
echo "done, no result"
