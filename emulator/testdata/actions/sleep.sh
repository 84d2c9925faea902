#!/bin/sh
# Outlives its time limit; the sleep child must die with it. The child's
# pid is in the logs, for the tests to check that it is gone.
echo "started"
sleep 30 &
echo "sleep pid $!"
wait
echo '{"late":true}'
