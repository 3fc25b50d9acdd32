package contract_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/api/contract"
)

// TestTransportFailsMismatches serves answers the document does not allow
// from a fake server and checks each makes the client call fail, naming
// what did not match; a conforming exchange passes untouched.
func TestTransportFailsMismatches(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/healthz":
			if r.URL.Query().Get("as") == "teapot" {
				w.WriteHeader(http.StatusTeapot)
			}
			_, _ = w.Write([]byte(`{"status":"ok"` + r.URL.Query().Get("extra") + `}`))
		case "/v1/exceptions":
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(`{}`))
		default:
			_, _ = w.Write([]byte(`{}`))
		}
	}))
	defer srv.Close()
	tr, err := contract.NewTransport(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: tr}
	tests := []struct {
		name, method, path, body, want string
	}{
		{"conforming", "GET", "/healthz", "", ""},
		{"undocumented field", "GET", "/healthz?extra=,%22uptime%22:1", "", `property "uptime" is unsupported`},
		{"undocumented status", "GET", "/healthz?as=teapot", "", "status is not supported"},
		{"accepted what the document refuses", "POST", "/v1/exceptions", `{"type":"weird","text":"x"}`, "the server accepted a request the document refuses"},
		{"undocumented route", "GET", "/v1/nothing", "", "missing from the document"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("a conforming exchange failed: %v", err)
				}
				resp.Body.Close()
				return
			}
			if err == nil {
				resp.Body.Close()
				t.Fatalf("no error, want one containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
	if tr.Checked() != 1 {
		t.Errorf("Checked = %d, want 1 (only the conforming exchange)", tr.Checked())
	}
}
