package api_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/billtriage/billtriage/api"
	"github.com/billtriage/billtriage/api/contract"
)

// TestOpenAPIDocumentIsValid loads the embedded document and validates it
// as OpenAPI 3.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	if doc.Paths.Len() == 0 || doc.Components.SecuritySchemes["bearerAuth"] == nil || doc.Components.SecuritySchemes["apiKeyAuth"] == nil {
		t.Errorf("paths %d, security schemes %v", doc.Paths.Len(), doc.Components.SecuritySchemes)
	}
}

// TestEveryRouteIsDocumented compares the routes the server registers
// with the document's operations both ways, so a route added without
// documentation, or documentation left behind by a removed route, fails.
func TestEveryRouteIsDocumented(t *testing.T) {
	doc, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	// Metrics are optional; with them the server registers every route.
	f := setup(t)
	srv := newServer(t, f.svc, f.store, downDB{}, func(c *api.Config) { c.Metrics = api.NewMetrics(f.store) })
	// chi writes a path parameter as {id} like OpenAPI, but may carry a
	// regexp ({id:[0-9]+}) that OpenAPI has no place for.
	param := regexp.MustCompile(`\{([^}:]+):[^}]*\}`)
	var served []string
	err = srv.WalkRoutes(func(method, pattern string) error {
		pattern = param.ReplaceAllString(strings.TrimSuffix(pattern, "/*"), "{$1}")
		if !contract.UIPath(pattern) {
			served = append(served, method+" "+pattern)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var documented []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	slices.Sort(served)
	slices.Sort(documented)
	for _, r := range served {
		if !slices.Contains(documented, r) {
			t.Errorf("%s is served but not in api/openapi.json", r)
		}
	}
	for _, r := range documented {
		if !slices.Contains(served, r) {
			t.Errorf("%s is in api/openapi.json but not served", r)
		}
	}
	if len(served) < 14 {
		t.Errorf("walked only %d routes: %v", len(served), served)
	}
}
