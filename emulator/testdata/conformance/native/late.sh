#!/bin/sh
# Prints a JSON line, then another after a pause: the docker action proxy waits for the
# process to exit and takes the last line.
echo '{"first":true}'
sleep 0.3
echo '{"last":true}'
