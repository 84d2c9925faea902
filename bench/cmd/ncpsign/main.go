// Command ncpsign prints the headers of one NCP API Gateway signature v2
// for a request, signed now with NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY, as
// arguments for a load generator that cannot sign (hey's -H):
//
//	ncpsign METHOD REQUEST-URI
//
// prints the three headers, one a line ("Name: value"). The signature covers the method, the request URI,
// the timestamp and the access key, not the body, so one set of headers is
// valid for every identical request until the server's clock-skew window
// closes (5 minutes for the emulator and the gateway).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/specrun/specrun/client"
)

func main() {
	if err := run(os.Args[1:], os.Getenv, time.Now(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ncpsign:", err)
		os.Exit(2)
	}
}

func run(args []string, getenv func(string) string, now time.Time, out io.Writer) error {
	if len(args) != 2 {
		return errors.New("usage: ncpsign METHOD REQUEST-URI")
	}
	ak, sk := getenv("NCLOUD_ACCESS_KEY"), getenv("NCLOUD_SECRET_KEY")
	if ak == "" || sk == "" {
		return errors.New("set NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY")
	}
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	_, err := fmt.Fprintf(out, "x-ncp-apigw-timestamp: %s\nx-ncp-iam-access-key: %s\nx-ncp-apigw-signature-v2: %s\n",
		ts, ak, client.Sign(args[0], args[1], ts, ak, sk))
	return err
}
