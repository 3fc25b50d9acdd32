package webhook_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/billtriage/billtriage/webhook"
)

// delivery is one call of a Receiver's Deliver.
type delivery struct {
	id, body string
}

// receiver starts a Receiver on a test server with a fixed clock and
// returns its URL and the deliveries it made.
func receiver(t *testing.T, rv *webhook.Receiver, now time.Time) (string, func() []delivery) {
	t.Helper()
	var mu sync.Mutex
	var got []delivery
	deliver := rv.Deliver
	rv.Now = func() time.Time { return now }
	rv.Deliver = func(id string, body []byte) error {
		if deliver != nil {
			if err := deliver(id, body); err != nil {
				return err
			}
		}
		mu.Lock()
		defer mu.Unlock()
		got = append(got, delivery{id, string(body)})
		return nil
	}
	srv := httptest.NewServer(rv)
	t.Cleanup(srv.Close)
	return srv.URL, func() []delivery {
		mu.Lock()
		defer mu.Unlock()
		return append([]delivery(nil), got...)
	}
}

// send posts body with headers h and returns the status and answer.
func send(t *testing.T, url string, h http.Header, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = h
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func TestReceiverDeliversOnceAndRefusesForgeries(t *testing.T) {
	secret := fixedSecret(t)
	now := time.Unix(1700000000, 0)
	url, deliveries := receiver(t, &webhook.Receiver{Secrets: []webhook.Secret{secret}}, now)
	body := []byte(`{"exception":"EXC-7","status":"queued"}`)

	code, answer := send(t, url, webhook.Headers([]webhook.Secret{secret}, "msg_7", now, body), body)
	if code != http.StatusOK || answer != "delivered" {
		t.Fatalf("first delivery: %d %q", code, answer)
	}
	// the sender's retry: same id, signed again a little later
	code, answer = send(t, url, webhook.Headers([]webhook.Secret{secret}, "msg_7", now.Add(2*time.Second), body), body)
	if code != http.StatusOK || answer != "duplicate" {
		t.Errorf("retry: %d %q, want 200 duplicate", code, answer)
	}
	forged := webhook.Headers([]webhook.Secret{webhook.NewSecret()}, "msg_8", now, body)
	if code, answer = send(t, url, forged, body); code != http.StatusBadRequest || !strings.Contains(answer, "no webhook-signature matches") {
		t.Errorf("forgery: %d %q, want 400 naming the signature", code, answer)
	}
	stale := webhook.Headers([]webhook.Secret{secret}, "msg_9", now.Add(-time.Hour), body)
	if code, answer = send(t, url, stale, body); code != http.StatusBadRequest || !strings.Contains(answer, "too old") {
		t.Errorf("replay an hour late: %d %q, want 400 too old", code, answer)
	}
	if code, _ = send(t, url, http.Header{}, body); code != http.StatusBadRequest {
		t.Errorf("no headers: %d, want 400", code)
	}
	if got := deliveries(); len(got) != 1 || got[0] != (delivery{"msg_7", string(body)}) {
		t.Errorf("deliveries = %v, want msg_7 once", got)
	}
}

func TestReceiverLetsAFailedDeliveryBeRetried(t *testing.T) {
	secret := fixedSecret(t)
	now := time.Unix(1700000000, 0)
	var fail atomic.Bool // read by the server's goroutine
	fail.Store(true)
	url, deliveries := receiver(t, &webhook.Receiver{Secrets: []webhook.Secret{secret}, Deliver: func(string, []byte) error {
		if fail.Load() {
			return errors.New("disk full")
		}
		return nil
	}}, now)
	body := []byte(`{}`)
	h := webhook.Headers([]webhook.Secret{secret}, "msg_1", now, body)
	if code, answer := send(t, url, h, body); code != http.StatusInternalServerError || !strings.Contains(answer, "disk full") {
		t.Errorf("failing delivery: %d %q, want 500", code, answer)
	}
	fail.Store(false)
	if code, answer := send(t, url, h, body); code != http.StatusOK || answer != "delivered" {
		t.Errorf("retry after the failure: %d %q, want delivered", code, answer)
	}
	if got := deliveries(); len(got) != 1 {
		t.Errorf("deliveries = %v, want one", got)
	}
}

func TestReceiverAnswers409WhileTheSameIDIsBeingDelivered(t *testing.T) {
	secret := fixedSecret(t)
	now := time.Unix(1700000000, 0)
	entered, release := make(chan struct{}), make(chan struct{})
	url, deliveries := receiver(t, &webhook.Receiver{Secrets: []webhook.Secret{secret}, Deliver: func(string, []byte) error {
		close(entered)
		<-release
		return nil
	}}, now)
	body := []byte(`{}`)
	h := webhook.Headers([]webhook.Secret{secret}, "msg_1", now, body)
	first := make(chan int)
	go func() { // t.Fatal is not for other goroutines, so no send here
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		req.Header = h
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	<-entered
	if code, _ := send(t, url, h, body); code != http.StatusConflict {
		t.Errorf("concurrent repeat: %d, want 409", code)
	}
	close(release)
	if code := <-first; code != http.StatusOK {
		t.Errorf("first delivery: %d", code)
	}
	if got := deliveries(); len(got) != 1 {
		t.Errorf("deliveries = %v, want one", got)
	}
}

func TestReceiverRefusesWhatItCannotVerify(t *testing.T) {
	secret := fixedSecret(t)
	now := time.Unix(1700000000, 0)
	url, deliveries := receiver(t, &webhook.Receiver{Secrets: []webhook.Secret{secret}, MaxBodyBytes: 16}, now)
	big := bytes.Repeat([]byte("x"), 17)
	if code, _ := send(t, url, webhook.Headers([]webhook.Secret{secret}, "msg_big", now, big), big); code != http.StatusRequestEntityTooLarge {
		t.Errorf("body over MaxBodyBytes: %d, want 413", code)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET: %d Allow %q, want 405 Allow POST", resp.StatusCode, resp.Header.Get("Allow"))
	}
	bare, _ := receiver(t, &webhook.Receiver{}, now)
	body := []byte(`{}`)
	if code, answer := send(t, bare, webhook.Headers([]webhook.Secret{secret}, "msg_1", now, body), body); code != http.StatusInternalServerError || !strings.Contains(answer, "no secret") {
		t.Errorf("receiver without secrets: %d %q, want 500", code, answer)
	}
	if got := deliveries(); len(got) != 0 {
		t.Errorf("deliveries = %v, want none", got)
	}
}
