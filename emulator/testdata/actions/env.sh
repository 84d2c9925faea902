#!/bin/sh
# Returns the OpenWhisk context variables.
printf '{"name":"%s","namespace":"%s","id":"%s","deadline":"%s"}\n' "$__OW_ACTION_NAME" "$__OW_NAMESPACE" "$__OW_ACTIVATION_ID" "$__OW_DEADLINE"
