package main_test

import (
	"fmt"
	"net/http"
	"os"
	"testing"

	"github.com/billtriage/billtriage/api/contract"
)

// TestMain routes http.DefaultClient, which the end-to-end helpers (post,
// get, http.Get) use, through the OpenAPI contract check, so the real
// binary's answers are held to api/openapi.json too. The HTML UI served
// beside the API (/ and /ui/) is not part of the JSON contract.
func TestMain(m *testing.M) {
	checker, err := contract.NewTransport(http.DefaultTransport)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	http.DefaultClient = &http.Client{Transport: checker}
	os.Exit(m.Run())
}
