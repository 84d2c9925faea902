#!/bin/sh
# Logs the whole environment the action sees, then answers.
env
echo '{"dumped":true}'
