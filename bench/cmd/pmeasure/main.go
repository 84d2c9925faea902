// Command pmeasure runs a command several times and prints the min, median
// and max of its wall time, CPU time (user+system) and peak resident set
// size, so that bench/run.sh needs nothing but Go:
//
//	pmeasure [-n 20] [-label NAME] [-warmup 1] -- COMMAND [ARG...]
//
// The command's stdout and stderr are discarded; a non-zero exit fails
// pmeasure, unless -ok lists the exit code. Output is one line:
//
//	LABEL  wall_ms MIN MED MAX  cpu_ms MIN MED MAX  rss_mb MIN MED MAX
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "pmeasure:", err)
		os.Exit(2)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("pmeasure", flag.ContinueOnError)
	n := fs.Int("n", 20, "number of measured runs")
	warm := fs.Int("warmup", 1, "unmeasured runs first (page cache, binary loading)")
	label := fs.String("label", "", "name printed first (default: the command)")
	okCode := fs.Int("ok", 0, "exit code that counts as success")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cmdArgs := fs.Args()
	if len(cmdArgs) == 0 || *n < 1 {
		return errors.New("usage: pmeasure [-n N] [-label NAME] -- COMMAND [ARG...]")
	}
	if *label == "" {
		*label = strings.Join(cmdArgs, " ")
	}
	var wall, cpu, rss []float64
	for i := 0; i < *warm+*n; i++ {
		w, c, r, err := once(cmdArgs, *okCode)
		if err != nil {
			return err
		}
		if i >= *warm {
			wall, cpu, rss = append(wall, w), append(cpu, c), append(rss, r)
		}
	}
	fmt.Fprintf(out, "%-28s wall_ms %s  cpu_ms %s  rss_mb %s\n", *label, stats(wall), stats(cpu), stats(rss))
	return nil
}

// once runs the command and returns wall ms, CPU ms and peak RSS in MB.
func once(args []string, okCode int) (float64, float64, float64, error) {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	t0 := time.Now()
	err := cmd.Run()
	wall := time.Since(t0)
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == okCode) {
		return 0, 0, 0, fmt.Errorf("%s: %w", strings.Join(args, " "), err)
	}
	if err == nil && okCode != 0 {
		return 0, 0, 0, fmt.Errorf("%s: exit 0, want %d", strings.Join(args, " "), okCode)
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if ru == nil {
		return 0, 0, 0, errors.New("no resource usage on this system")
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return ms(wall), ms(cpu), float64(ru.Maxrss) / 1024, nil // Maxrss is in KB on Linux
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func stats(v []float64) string {
	s := slices.Clone(v)
	slices.Sort(s)
	return fmt.Sprintf("%8.1f %8.1f %8.1f", s[0], s[len(s)/2], s[len(s)-1])
}
