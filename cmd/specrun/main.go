// Command specrun runs declarative YAML specs against NAVER Cloud Platform
// Cloud Functions, or against its built-in emulator of the Cloud Functions
// API. See docs/cli.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	abort := &aborter{}
	stop := &stopper{cancel: cancel, abort: abort, stderr: os.Stderr, exit: os.Exit, aborted: make(chan struct{})}
	// A write to a closed pipe returns EPIPE instead of killing the
	// process: the reader of standard output going away (specrun ... |
	// head) is then an interrupt (readerWatch), so the reports are written
	// and the emulator's actions stopped.
	signal.Ignore(syscall.SIGPIPE)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		for range sigs {
			stop.interrupt()
		}
	}()
	stdout := &readerWatch{w: os.Stdout, gone: stop.readerGone}
	abort.addStop(stdout.seal)
	err := run(ctx, os.Args[1:], os.Stdout, stdout, os.Stderr, abort)
	stop.end(err)
}

// run is specrun with the process's environment; everything below it takes
// its environment from a system value, so tests can run it in process.
// stdoutFile is the file standard output writes to (for terminal
// detection).
func run(ctx context.Context, args []string, stdoutFile *os.File, stdout, stderr io.Writer, abort *aborter) error {
	home, _ := os.UserHomeDir()
	sys := &system{
		stdout:     stdout,
		stderr:     stderr,
		stdoutFile: stdoutFile,
		lookupEnv:  os.LookupEnv,
		home:       home,
		now:        time.Now,
		abort:      abort,
	}
	return sys.main(ctx, args)
}

// system is what a command may touch of the outside world.
type system struct {
	stdout, stderr io.Writer
	// stdoutFile is stdout when it is a file (for terminal detection).
	stdoutFile *os.File
	lookupEnv  func(string) (string, bool)
	home       string
	// now is the runner's clock (test durations and the run's start); the
	// signing client and the emulator always use real time, since the
	// gateway's 5-minute window and actions' delays are about real time.
	now func() time.Time
	// version overrides the build's version (tests).
	version string
	// hostname names this machine in reports; nil means os.Hostname.
	hostnameFn func() (string, error)
	// newTicker makes the ticker of status lines; nil means
	// time.NewTicker (tests inject their own).
	newTicker func(d time.Duration) (<-chan time.Time, func())
	// newID makes the emulator's activation ids for --local; nil means
	// random ones (tests make them predictable).
	newID func() string
	// abort is run before the process exits on a second interrupt (nil in
	// tests that run commands in process).
	abort *aborter
}

// hostname is the machine's name for reports, or "" when unknown.
func (sys *system) hostname() string {
	f := sys.hostnameFn
	if f == nil {
		f = os.Hostname
	}
	h, err := f()
	if err != nil {
		return ""
	}
	return h
}

// Exit codes of CLI.md.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitInterrupted = 130
	// exitReaderGone: standard output's reader went away (a broken pipe),
	// the code a shell gives a process killed by SIGPIPE (128+13).
	exitReaderGone = 141
)

// exitError carries an exit code. A nil err means the command already
// printed what the user needs.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError is bad usage: exit 2 with a pointer to the help.
type usageError struct {
	cmd string
	msg string
}

func (e *usageError) Error() string { return e.msg }

func usagef(cmd, format string, args ...any) error {
	return &usageError{cmd: cmd, msg: fmt.Sprintf(format, args...)}
}

// exitCode prints err (when it has something to say) and maps it to the
// process's exit code. It is the one place where errors become exit codes.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "specrun: %s\n", ue.msg)
		help := "specrun --help"
		if ue.cmd != "" {
			help = "specrun " + ue.cmd + " --help"
		}
		fmt.Fprintf(stderr, "Run '%s' for usage.\n", help)
		return exitUsage
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "specrun: %s\n", ee.err)
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "specrun: %s\n", err)
	return exitFailed
}
