//go:build unix

package emulator

import (
	"os/exec"
	"syscall"
)

// setProcessGroup runs the command in its own process group and makes cancelling it kill
// the whole group, so children of a shell script die with it.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

// killGroup kills what is left of the command's process group after it exited (background
// children of a script), like a finished OpenWhisk container.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
