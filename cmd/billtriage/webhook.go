package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/billtriage/billtriage/webhook"
)

// envWebhookSecret holds the secrets `webhook verify` checks against when
// no --secret is given; several are separated by spaces, as during a
// rotation.
const envWebhookSecret = "BILLTRIAGE_WEBHOOK_SECRET"

const webhookUsage = `Usage:
  billtriage webhook verify --id ID --timestamp UNIX --signature SIG [--body FILE|-] [--secret whsec_...]...
  billtriage webhook verify --request FILE [--body FILE] [--secret whsec_...]...
  billtriage webhook secret

verify checks a received webhook's Standard Webhooks signature: it prints
"valid" and exits 0, or prints "invalid: " and the reason and exits 1.
Secrets come from --secret (repeatable) or ` + envWebhookSecret + `
(space-separated). secret prints a new secret.`

func runWebhook(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	if len(args) == 0 {
		return newFlags("webhook", std).usageError("give a subcommand: verify, secret")
	}
	switch args[0] {
	case "verify":
		return runWebhookVerify(args[1:], std, getenv)
	case "secret":
		fs := newFlags("webhook secret", std)
		if err := parse(fs, args[1:]); err != nil {
			return err
		}
		fmt.Fprintln(std.Out, webhook.NewSecret())
		return nil
	case "-h", "--help", "help":
		fmt.Fprintln(std.Out, webhookUsage)
		return nil
	}
	return newFlags("webhook", std).usageError("unknown subcommand %q (want verify, secret)", args[0])
}

// verifyFlags are the flags of `webhook verify`.
type verifyFlags struct {
	id, timestamp, signature string
	request, body            string
	secrets                  []string
	tolerance                time.Duration
	at                       string
}

func runWebhookVerify(args []string, std Stdio, getenv func(string) string) error {
	var f verifyFlags
	fs := newFlags("webhook verify", std)
	fs.StringVar(&f.id, "id", "", "the webhook-id header")
	fs.StringVar(&f.timestamp, "timestamp", "", "the webhook-timestamp header (unix seconds)")
	fs.StringVar(&f.signature, "signature", "", "the webhook-signature header (quote it: it may hold spaces)")
	fs.StringVar(&f.request, "request", "", "a saved HTTP request: optional request or status line, headers, a blank line, the body")
	fs.StringVar(&f.body, "body", "-", "the raw body, byte for byte as received (- for stdin); with --request, overrides the file's body")
	fs.Func("secret", "a secret whsec_...; repeat for several (default $"+envWebhookSecret+")", func(s string) error {
		f.secrets = append(f.secrets, s)
		return nil
	})
	fs.DurationVar(&f.tolerance, "tolerance", webhook.DefaultTolerance, "how far the timestamp may be from --at")
	fs.StringVar(&f.at, "at", "", "verify as of this time, RFC 3339 or unix seconds, e.g. the time a saved request arrived (default now)")
	fs.heading = webhookUsage
	if err := parse(fs, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	secrets, at, err := f.check(set, getenv)
	if err != nil {
		fmt.Fprintln(std.Err, "webhook verify:", err)
		return errUsage
	}
	h, body, err := f.message(set, std.In)
	if err != nil {
		return err
	}
	if err := webhook.Verify(secrets, h, body, at, f.tolerance); err != nil {
		fmt.Fprintln(std.Out, "invalid:", err)
		return errReported
	}
	fmt.Fprintln(std.Out, "valid")
	return nil
}

// check validates the flags and reads the secrets and the time, before
// any file is read.
func (f *verifyFlags) check(set map[string]bool, getenv func(string) string) ([]webhook.Secret, time.Time, error) {
	headerFlags := set["id"] || set["timestamp"] || set["signature"]
	switch {
	case f.request != "" && headerFlags:
		return nil, time.Time{}, errors.New("give --request or --id/--timestamp/--signature, not both")
	case f.request == "" && f.id == "":
		return nil, time.Time{}, errors.New("--id is required (or --request FILE)")
	case f.request == "" && f.timestamp == "":
		return nil, time.Time{}, errors.New("--timestamp is required (or --request FILE)")
	case f.request == "" && f.signature == "":
		return nil, time.Time{}, errors.New("--signature is required (or --request FILE)")
	case f.tolerance <= 0:
		return nil, time.Time{}, fmt.Errorf("--tolerance must be positive, not %s", f.tolerance)
	}
	texts, source := f.secrets, "--secret"
	if len(texts) == 0 {
		texts, source = strings.Fields(getenv(envWebhookSecret)), envWebhookSecret
	}
	if len(texts) == 0 {
		return nil, time.Time{}, errors.New("give --secret whsec_... or set " + envWebhookSecret)
	}
	secrets := make([]webhook.Secret, len(texts))
	for i, t := range texts {
		s, err := webhook.ParseSecret(t)
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("%s: %w", source, err)
		}
		secrets[i] = s
	}
	at, err := parseAt(f.at)
	return secrets, at, err
}

// parseAt reads --at; empty means now.
func parseAt(s string) (time.Time, error) {
	if s == "" {
		return time.Now(), nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--at must be RFC 3339 or unix seconds, not %q", s)
	}
	return t, nil
}

// message returns the headers and raw body to verify, from the flags or
// the request file; errors name the flag whose file failed.
func (f *verifyFlags) message(set map[string]bool, stdin io.Reader) (http.Header, []byte, error) {
	var h http.Header
	var body []byte
	if f.request != "" {
		raw, err := os.ReadFile(f.request)
		if err != nil {
			return nil, nil, fmt.Errorf("--request: %w", err)
		}
		if h, body, err = parseSavedRequest(raw); err != nil {
			return nil, nil, fmt.Errorf("--request %s: %w", f.request, err)
		}
	} else {
		h = http.Header{}
		h.Set(webhook.HeaderID, f.id)
		h.Set(webhook.HeaderTimestamp, f.timestamp)
		h.Set(webhook.HeaderSignature, f.signature)
	}
	if f.request == "" || set["body"] {
		var err error
		if body, err = readBody(f.body, stdin); err != nil {
			return nil, nil, fmt.Errorf("--body: %w", err)
		}
	}
	return h, body, nil
}

// readBody reads the whole body from a file or, for "-", stdin. Nothing is
// trimmed: a newline more or less is a different body.
func readBody(path string, stdin io.Reader) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(path)
}

var (
	requestLine = regexp.MustCompile(`^[A-Z]+ \S+ HTTP/[0-9.]+$`)
	statusLine  = regexp.MustCompile(`^HTTP/[0-9.]+ [0-9]{3}`)
)

// parseSavedRequest reads a request saved as text: an optional request
// line (a captured request) or status line (curl -D), the header lines, a
// blank line, and the body. The body is Content-Length bytes when that
// header is there, decoded when it was sent chunked, and otherwise the
// rest of the file. HTTP/2 captures, with lower-case names, read the same.
func parseSavedRequest(raw []byte) (http.Header, []byte, error) {
	first, rest, _ := bytes.Cut(raw, []byte("\n"))
	if line := strings.TrimRight(string(first), "\r"); requestLine.MatchString(line) || statusLine.MatchString(line) {
		raw = rest
	}
	// Reading it as a request of our own making lets net/http parse the
	// headers and framing, whatever version the capture was.
	br := bufio.NewReader(io.MultiReader(strings.NewReader("POST / HTTP/1.1\r\n"), bytes.NewReader(raw)))
	req, err := http.ReadRequest(br)
	if err != nil {
		return nil, nil, fmt.Errorf("not headers, a blank line and a body: %w", err)
	}
	framed := req.ContentLength > 0 || slices.Contains(req.TransferEncoding, "chunked") || req.Header.Get("Content-Length") != ""
	var body []byte
	if framed {
		body, err = io.ReadAll(req.Body)
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, nil, fmt.Errorf("the body is shorter than its Content-Length, %d", req.ContentLength)
		}
	} else {
		body, err = io.ReadAll(br)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading the body: %w", err)
	}
	return req.Header, body, nil
}
