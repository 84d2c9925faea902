#!/bin/sh
# Reports how the parameters arrived: argument count and the bytes on stdin.
n=$(wc -c | tr -d ' ')
echo "{\"argc\":$#,\"stdin\":$n}"
