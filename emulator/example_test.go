package emulator_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/specrun/specrun/emulator"
)

func Example() {
	m, err := emulator.ParseManifest("manifest.yaml", []byte(`
namespace: local
packages:
  package003:
    params: {place: NAVER Cloud}
    actions:
      echo:
        builtin: echo
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.UnixMilli(1714021538088)
	emu := emulator.New(m, emulator.Options{
		AccessKey: "AK", SecretKey: "SK",
		Now:   func() time.Time { return now },
		NewID: func() string { return "0123456789abcdef0123456789abcdef" },
	})
	defer emu.Close()
	srv := httptest.NewServer(emu)
	defer srv.Close()

	// Sign as NCP's API Gateway wants (signature v2).
	const uri = "/api/v2/packages/package003/actions/echo?timeout=60000"
	stamp := strconv.FormatInt(now.UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte("SK"))
	mac.Write([]byte("POST " + uri + "\n" + stamp + "\nAK"))
	req, _ := http.NewRequest("POST", srv.URL+uri, strings.NewReader(`{"name":"Kim"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-ncp-apigw-timestamp", stamp)
	req.Header.Set("x-ncp-iam-access-key", "AK")
	req.Header.Set("x-ncp-apigw-signature-v2", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	resp, err := srv.Client().Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode)
	fmt.Println(string(body))
	// Output:
	// 200
	// {"content":{"activationId":"0123456789abcdef0123456789abcdef","duration":0,"start":1714021538088,"end":1714021538088,"name":"echo","namespace":"local","subject":"local","response":{"result":{"place":"NAVER Cloud","name":"Kim"},"status":"success","success":true}}}
}
