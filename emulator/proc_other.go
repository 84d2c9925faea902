//go:build !unix

package emulator

import "os/exec"

// setProcessGroup is a no-op where process groups are not available: cancelling kills only
// the action's own process.
func setProcessGroup(cmd *exec.Cmd) {}

// killGroup does nothing where process groups are not available.
func killGroup(cmd *exec.Cmd) {}
