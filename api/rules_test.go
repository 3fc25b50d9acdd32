package api_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/billtriage/billtriage/api"
	"github.com/billtriage/billtriage/triage"
)

// rulesFile is the alerting rules shipped for Prometheus.
const rulesFile = "../deploy/prometheus/billtriage-rules.yml"

type ruleFile struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []struct {
			Alert       string            `yaml:"alert"`
			Expr        string            `yaml:"expr"`
			For         string            `yaml:"for"`
			Labels      map[string]string `yaml:"labels"`
			Annotations map[string]string `yaml:"annotations"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

var metricName = regexp.MustCompile(`\bbilltriage_[a-z0-9_]+`)

// TestAlertingRulesNameExportedMetrics parses the rules file and checks
// every rule is complete and every metric its expression names is one the
// service exports (as /metrics lists it with the drift gauges on), so a
// renamed metric cannot leave a rule that never fires.
func TestAlertingRulesNameExportedMetrics(t *testing.T) {
	raw, err := os.ReadFile(rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	var rf ruleFile
	dec := yaml.NewDecoder(strings.NewReader(string(raw)))
	dec.KnownFields(true)
	if err := dec.Decode(&rf); err != nil {
		t.Fatalf("%s: %v", rulesFile, err)
	}
	f := setup(t, func(c *api.Config) {
		m := api.NewMetrics(c.Stats)
		m.WatchAlarms(c.Stats.(triage.AlarmStore))
		c.Metrics = m
	})
	// A decided item and a drift check measure each kind, so that the
	// value gauges are exported too.
	if status, _ := f.do(t, "POST", "/v1/exceptions", taxCase); status != 201 {
		t.Fatal(status)
	}
	if _, err := f.svc.CheckAlarms(t.Context()); err != nil {
		t.Fatal(err)
	}
	exported := metricsBody(t, f.srv.URL)
	rules := 0
	for _, g := range rf.Groups {
		for _, r := range g.Rules {
			rules++
			if r.Alert == "" || r.Expr == "" || r.Labels["severity"] == "" || r.Annotations["summary"] == "" {
				t.Errorf("group %s: rule %q lacks alert, expr, severity or summary", g.Name, r.Alert)
			}
			names := metricName.FindAllString(r.Expr, -1)
			if len(names) == 0 {
				t.Errorf("%s: expression %q names no billtriage metric", r.Alert, r.Expr)
			}
			for _, n := range names {
				if !strings.Contains(exported, "# TYPE "+n+" ") {
					t.Errorf("%s: %s is not exported by the service", r.Alert, n)
				}
			}
		}
	}
	if rules < 5 {
		t.Errorf("%d rules, want the main ones (pause, precision, confidence, calibration, input drift)", rules)
	}
}
