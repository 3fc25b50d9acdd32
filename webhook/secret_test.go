package webhook_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/webhook"
)

func TestNewSecretRoundTrips(t *testing.T) {
	a, b := webhook.NewSecret(), webhook.NewSecret()
	text := a.String()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(text, "whsec_"))
	if !strings.HasPrefix(text, "whsec_") || err != nil || len(key) != 32 {
		t.Fatalf("NewSecret().String() = %q: want whsec_ and the base64 of 32 bytes (%v, %d bytes)", text, err, len(key))
	}
	if text == b.String() {
		t.Errorf("two new secrets are equal: %s", text)
	}
	parsed, err := webhook.ParseSecret(text + "\n") // as pasted from a file
	if err != nil || parsed.String() != text {
		t.Errorf("ParseSecret(%q) = %q, %v", text, parsed, err)
	}
}

func TestParseSecretSaysWhatIsWrong(t *testing.T) {
	long := "whsec_" + base64.StdEncoding.EncodeToString(make([]byte, 65))
	for _, tc := range []struct{ in, want string }{
		{"", "empty"},
		{"  \n", "empty"},
		{"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", `must start with "whsec_"`},
		{"whsec_not base64!", "not padded standard base64"},
		{"whsec_c2hvcnQ", "not padded standard base64"}, // unpadded
		{"whsec_c2hvcnQ=", "the key is 5 bytes, it must be 24 to 64"},
		{long, "the key is 65 bytes"},
	} {
		s, err := webhook.ParseSecret(tc.in)
		if !errors.Is(err, webhook.ErrBadSecret) || !strings.Contains(err.Error(), tc.want) || !s.IsZero() {
			t.Errorf("ParseSecret(%q) = %q, %v; want ErrBadSecret saying %q", tc.in, s, err, tc.want)
		}
	}
	// the Standard Webhooks test vector's secret is 24 bytes, the shortest allowed
	if _, err := webhook.ParseSecret(vectorSecret); err != nil {
		t.Errorf("ParseSecret(%q): %v", vectorSecret, err)
	}
}

func TestMustParseSecretPanicsOnABadSecret(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("MustParseSecret of a bad secret did not panic")
		}
	}()
	webhook.MustParseSecret("whsec_")
}

func TestASecretLoggedBySlogHidesItsKey(t *testing.T) {
	s := webhook.NewSecret()
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("configured", "secret", s)
	key := strings.TrimPrefix(s.String(), "whsec_")
	if strings.Contains(buf.String(), key) || !strings.Contains(buf.String(), "secret=whsec_") {
		t.Errorf("slog output %q shows the key or not the prefix", buf.String())
	}
}
