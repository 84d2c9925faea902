#!/bin/sh
# Prints every __OW_ variable as a JSON object (values are plain text here).
env | grep '^__OW_' | sort | awk -F= 'BEGIN{printf "{"} {if (NR>1) printf ","; v=substr($0, length($1)+2); printf "\"%s\":\"%s\"", $1, v} END{print "}"}'
