package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/specrun/specrun/emulator"
)

// serveCommand serves the Cloud Functions API from a manifest's actions.
func (sys *system) serveCommand() *cobra.Command {
	var o serveOptions
	c := &cobra.Command{
		Use:   "serve [flags] MANIFEST",
		Short: "serve the Cloud Functions API on loopback from local actions",
		Long: `Serves the Cloud Functions API (under /api/v2 and /ncf/api/v2) on loopback
from the local actions of MANIFEST, until interrupted. Requests must be
signed with the keys in NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY; without
them, serve makes a pair and prints the export lines to use. The first line
of output is the base URL.

Finished activations are kept for the activation detail call, the oldest
dropped first once either bound (--max-activations, --max-activation-mb)
is reached; a record holds the result and the logs, each up to 1 MB.`,
		Example:           "  specrun serve examples/manifest.yaml\n  specrun serve --addr 127.0.0.1:0 examples/manifest.yaml",
		ValidArgsFunction: completeManifest,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("serve", "serve takes exactly one MANIFEST, got %d arguments", len(args))
			}
			if o.maxRecords < 1 || o.maxMB < 1 {
				return usagef("serve", "--max-activations and --max-activation-mb must be at least 1, got %d and %d", o.maxRecords, o.maxMB)
			}
			return sys.serveCmd(c.Context(), o, args[0])
		},
	}
	flagGroup(c, "Serving", func(fs *pflag.FlagSet) {
		fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT` (port 0 picks a free one)")
		fs.IntVar(&o.maxRecords, "max-activations", emulator.DefaultMaxActivations, "keep at most `N` finished activation records")
		fs.IntVar(&o.maxMB, "max-activation-mb", emulator.DefaultMaxActivationBytes>>20, "keep at most `MB` megabytes of activation records (results and logs)")
	})
	_ = c.RegisterFlagCompletionFunc("addr", cobra.NoFileCompletions)
	return c
}

// serveOptions are serve's flags.
type serveOptions struct {
	addr              string
	maxRecords, maxMB int
}

func (sys *system) serveCmd(ctx context.Context, o serveOptions, manifest string) error {
	addr := o.addr
	m, err := sys.loadManifest(manifest, "")
	if err != nil {
		return err
	}
	access, _ := sys.lookupEnv("NCLOUD_ACCESS_KEY")
	secret, _ := sys.lookupEnv("NCLOUD_SECRET_KEY")
	made := false
	switch {
	case access == "" && secret == "":
		access, secret = localKeys()
		made = true
	case access == "" || secret == "":
		return &exitError{code: exitUsage, err: errors.New("only one of NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY is set: set both, or neither to have serve make a pair")}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("--addr %s: %w", addr, err)}
	}
	emu := emulator.New(m, emulator.Options{AccessKey: access, SecretKey: secret,
		MaxActivations: o.maxRecords, MaxActivationBytes: int64(o.maxMB) << 20})
	// A second interrupt exits at once: the actions' process groups must
	// not outlive the process.
	stop := sync.OnceFunc(func() { emu.Close() })
	defer stop()
	defer sys.abort.addStop(stop)()
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}

	base := "http://" + ln.Addr().String() + "/api/v2"
	fmt.Fprintln(sys.stdout, base)
	if made {
		fmt.Fprintf(sys.stdout, "export SPECRUN_ENDPOINT=%s\nexport NCLOUD_ACCESS_KEY=%s\nexport NCLOUD_SECRET_KEY=%s\n", base, access, secret)
	}
	fmt.Fprintf(sys.stderr, "serving the actions of %s until interrupted\n", manifest)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("stopping the server: %w", err)
	}
	<-errc
	return nil
}
