package main_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httputil"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/billtriage/billtriage/webhook"
)

// runWith runs the binary with stdin and extra environment and returns
// stdout, stderr and the exit code. BILLTRIAGE_WEBHOOK_SECRET is cleared
// first so that the developer's own never leaks into a test.
func runWith(t *testing.T, bin, stdin string, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(append(os.Environ(), "BILLTRIAGE_WEBHOOK_SECRET="), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil && cmd.ProcessState == nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The Standard Webhooks test vector, which `webhook verify --at` can check
// however long ago it was signed.
const (
	vecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vecID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vecTS     = "1614265330"
	vecBody   = `{"test": 2432232314}`
	vecSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func TestWebhookCommand(t *testing.T) {
	bin := buildBinary(t)

	out, stderr, code := runWith(t, bin, "", nil, "webhook", "secret")
	secret, err := webhook.ParseSecret(out)
	if code != 0 || err != nil {
		t.Fatalf("webhook secret: exit %d, %q (%v) %s", code, out, err, stderr)
	}
	other := webhook.NewSecret()
	body := `{"exception":"EXC-1","status":"queued"}`
	now := time.Now()
	h := webhook.Headers([]webhook.Secret{secret}, "msg_cli", now, []byte(body))
	flags := []string{"webhook", "verify", "--id", h.Get("webhook-id"), "--timestamp", h.Get("webhook-timestamp"), "--signature", h.Get("webhook-signature")}
	with := func(extra ...string) []string { return append(append([]string{}, flags...), extra...) }
	bodyFile := writeTemp(t, "body.json", body)

	for _, tc := range []struct {
		name        string
		stdin       string
		env         []string
		args        []string
		code        int
		out, stderr string
	}{
		{"body on stdin", body, nil, with("--secret", secret.String()), 0, "valid\n", ""},
		{"body from a file", "", nil, with("--secret", secret.String(), "--body", bodyFile), 0, "valid\n", ""},
		{"secret from the environment", body, []string{"BILLTRIAGE_WEBHOOK_SECRET=" + secret.String()}, flags, 0, "valid\n", ""},
		{"rotation: either of two secrets", body, nil, with("--secret", other.String(), "--secret", secret.String()), 0, "valid\n", ""},
		{"rotation: two secrets in the environment", body, []string{"BILLTRIAGE_WEBHOOK_SECRET=" + other.String() + " " + secret.String()}, flags, 0, "valid\n", ""},
		{"--secret wins over the environment", body, []string{"BILLTRIAGE_WEBHOOK_SECRET=" + secret.String()}, with("--secret", other.String()), 1, "invalid: no webhook-signature matches", ""},
		{"body changed", body + "\n", nil, with("--secret", secret.String()), 1, "invalid: no webhook-signature matches", ""},
		{"wrong secret", body, nil, with("--secret", other.String()), 1, "invalid: no webhook-signature matches: 1 v1 entry checked against 1 secret", ""},
		{"expired", body, nil, with("--secret", secret.String(), "--at", strconv.FormatInt(now.Add(time.Hour).Unix(), 10)), 1, "invalid: webhook-timestamp is too old", ""},
		{"wider tolerance", body, nil, with("--secret", secret.String(), "--at", now.Add(time.Hour).Format(time.RFC3339), "--tolerance", "2h"), 0, "valid\n", ""},
		{"bad timestamp", body, nil, []string{"webhook", "verify", "--id", "m", "--timestamp", "yesterday", "--signature", "v1,x", "--secret", secret.String()}, 1, `invalid: webhook-timestamp is not unix seconds: "yesterday"`, ""},

		{"no secret", body, nil, flags, 2, "", "give --secret whsec_... or set BILLTRIAGE_WEBHOOK_SECRET"},
		{"bad --secret", body, nil, with("--secret", "hunter2"), 2, "", `--secret: bad webhook secret: it must start with "whsec_"`},
		{"short --secret", body, nil, with("--secret", "whsec_c2hvcnQ="), 2, "", "--secret: bad webhook secret: the key is 5 bytes"},
		{"bad secret in the environment", body, []string{"BILLTRIAGE_WEBHOOK_SECRET=whsec_???"}, flags, 2, "", "BILLTRIAGE_WEBHOOK_SECRET: bad webhook secret"},
		{"no --id", body, nil, []string{"webhook", "verify", "--timestamp", "1", "--signature", "v1,x", "--secret", secret.String()}, 2, "", "--id is required (or --request FILE)"},
		{"no --timestamp", body, nil, []string{"webhook", "verify", "--id", "m", "--signature", "v1,x", "--secret", secret.String()}, 2, "", "--timestamp is required"},
		{"no --signature", body, nil, []string{"webhook", "verify", "--id", "m", "--timestamp", "1", "--secret", secret.String()}, 2, "", "--signature is required"},
		{"--request with header flags", "", nil, with("--request", bodyFile, "--secret", secret.String()), 2, "", "give --request or --id/--timestamp/--signature, not both"},
		{"--tolerance zero", body, nil, with("--secret", secret.String(), "--tolerance", "0s"), 2, "", "--tolerance must be positive"},
		{"--at unreadable", body, nil, with("--secret", secret.String(), "--at", "noon"), 2, "", `--at must be RFC 3339 or unix seconds, not "noon"`},
		{"--body missing", "", nil, with("--secret", secret.String(), "--body", filepath.Join(t.TempDir(), "nothing")), 1, "", "--body: open"},
		{"--request missing", "", nil, []string{"webhook", "verify", "--request", filepath.Join(t.TempDir(), "nothing"), "--secret", secret.String()}, 1, "", "--request: open"},
		{"unknown flag", body, nil, with("--key", "x"), 2, "", "flag provided but not defined: -key"},
		{"no subcommand", "", nil, []string{"webhook"}, 2, "", "give a subcommand: verify, secret"},
		{"unknown subcommand", "", nil, []string{"webhook", "sign"}, 2, "", `unknown subcommand "sign"`},
		{"secret takes no arguments", "", nil, []string{"webhook", "secret", "extra"}, 2, "", "unexpected arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, code := runWith(t, bin, tc.stdin, tc.env, tc.args...)
			if code != tc.code || !strings.HasPrefix(out, tc.out) || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout %q…, stderr with %q", code, out, stderr, tc.code, tc.out, tc.stderr)
			}
		})
	}
}

func TestWebhookVerifyReadsSavedRequests(t *testing.T) {
	bin := buildBinary(t)
	verify := func(extra ...string) []string {
		return append([]string{"webhook", "verify", "--secret", vecSecret, "--at", vecTS}, extra...)
	}
	headers := "webhook-id: " + vecID + "\r\nwebhook-timestamp: " + vecTS + "\r\nwebhook-signature: " + vecSig + "\r\n"

	// What a Go client puts on the wire, as a capture would save it.
	req, err := http.NewRequest(http.MethodPost, "http://receiver.example/hooks", strings.NewReader(vecBody))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = http.Header{"Webhook-Id": {vecID}, "Webhook-Timestamp": {vecTS}, "Webhook-Signature": {vecSig}, "Content-Type": {"application/json"}}
	wire, err := httputil.DumpRequestOut(req, true)
	if err != nil {
		t.Fatal(err)
	}
	chunked := fmt.Sprintf("POST /hooks HTTP/1.1\r\nHost: r\r\nTransfer-Encoding: chunked\r\n%s\r\n5\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n",
		headers, vecBody[:5], len(vecBody)-5, vecBody[5:])
	bodyFile := writeTemp(t, "body.json", vecBody)

	for _, tc := range []struct {
		name, request string
		extra         []string
		code          int
		want          string
	}{
		{"a Go client's request on the wire", string(wire), nil, 0, "valid\n"},
		{"HTTP/2 capture, lower-case names, LF lines, no Content-Length", "POST /hooks HTTP/2\n" + strings.ReplaceAll(headers, "\r\n", "\n") + "\n" + vecBody, nil, 0, "valid\n"},
		{"headers only, body to the end of the file", headers + "\r\n" + vecBody, nil, 0, "valid\n"},
		{"chunked body", chunked, nil, 0, "valid\n"},
		{"Content-Length frames the body, trailing bytes are not part of it", "POST / HTTP/1.1\r\nContent-Length: 20\r\n" + headers + "\r\n" + vecBody + "\n\n", nil, 0, "valid\n"},
		{"curl -D header dump, body in --body", "HTTP/1.1 200 OK\r\n" + headers + "\r\n", []string{"--body", bodyFile}, 0, "valid\n"},
		{"a trailing newline without Content-Length changes the body", headers + "\r\n" + vecBody + "\n", nil, 1, "invalid: no webhook-signature matches"},
		{"no signature header", "webhook-id: " + vecID + "\nwebhook-timestamp: " + vecTS + "\n\n" + vecBody, nil, 1, "invalid: missing header webhook-signature"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "request.http", tc.request)
			out, stderr, code := runWith(t, bin, "", nil, verify(append([]string{"--request", path}, tc.extra...)...)...)
			if code != tc.code || !strings.HasPrefix(out, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, %q", code, out, stderr, tc.code, tc.want)
			}
		})
	}

	path := writeTemp(t, "short.http", "POST / HTTP/1.1\r\nContent-Length: 99\r\n"+headers+"\r\n"+vecBody)
	if _, stderr, code := runWith(t, bin, "", nil, verify("--request", path)...); code != 1 ||
		!strings.Contains(stderr, "--request "+path+": the body is shorter than its Content-Length, 99") {
		t.Errorf("short body: exit %d, stderr %q", code, stderr)
	}
	path = writeTemp(t, "garbage.http", "this is not a request")
	if _, stderr, code := runWith(t, bin, "", nil, verify("--request", path)...); code != 1 || !strings.Contains(stderr, "--request "+path+": not headers") {
		t.Errorf("garbage: exit %d, stderr %q", code, stderr)
	}
}
