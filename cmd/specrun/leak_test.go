package main

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind: every
// in-process run starts and stops a whole --local stack (emulator, server,
// client, runner), and all of it must be gone when run returns.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
