#!/bin/sh
# plain-text: a broken action. Its last line of stdout is text, not a JSON
# object, so the platform reports "action developer error" with the result
# {"error": "The action did not return a dictionary or array."}.
# Used by examples/failing/not-json.yaml.

echo "Hello from a shell script"
