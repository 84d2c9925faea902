#!/bin/sh
# Outlives its time limit; the sleep child must die with it.
echo "started"
sleep 30
echo '{"late":true}'
