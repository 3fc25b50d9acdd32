package layout_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The rules. Package patterns are relative to the module path and follow
// the go command's convention: "x" is the package x alone, "x/..." is x
// and every package below it. Only non-test imports count: a test may
// import what it needs to drive the code (chromedp, the database helper).
//
// Packages are being moved (classify to models/classify, models to
// models/risk, embeddings/assist to assist, email parsing to
// disputes/email, web to api/ui); rows name both the old and the new place
// until the move lands, and the old one can go then.

// domain must import only the standard library: it holds the triage model
// and the ports every adapter implements, so it can depend on none of them.
const domain = "triage"

// moduleRule names the packages that may import a third-party module.
type moduleRule struct {
	module  string   // module path, as in go.mod
	allowed []string // package patterns; none means tests only
	why     string
}

// moduleRules keeps each third-party module behind the one adapter that
// wraps it. A module with no row fails the test: add a row when adding a
// dependency, naming the package that wraps it.
var moduleRules = []moduleRule{
	{"github.com/jackc/pgx/v5", []string{"triage/postgres/..."}, "the database is reached through triage's store ports, which triage/postgres implements"},
	{"github.com/pgvector/pgvector-go", []string{"triage/postgres/..."}, "vectors are stored by triage/postgres only"},
	{"github.com/pressly/goose/v3", []string{"triage/postgres/..."}, "migrations run inside the storage adapter"},
	{"github.com/riverqueue/river", []string{"triage/postgres/..."}, "River's jobs live in the same PostgreSQL and commit with the changes that make them, so the storage adapter owns it"},
	{"github.com/riverqueue/river/riverdriver/riverpgxv5", []string{"triage/postgres/..."}, "River's pgx driver, beside River"},
	{"github.com/riverqueue/river/rivertype", []string{"triage/postgres/..."}, "River's job types, beside River"},
	{"github.com/jackc/puddle/v2", []string{"triage/postgres"}, "pgx's pool: only its closed-pool error is read, to answer 503 while shutting down"},
	{"github.com/go-chi/chi/v5", []string{"api/..."}, "routing belongs to the HTTP layer"},
	{"github.com/prometheus/client_golang", []string{"api/..."}, "metrics are served by the HTTP layer"},
	{"github.com/go-chi/httprate", []string{"api/..."}, "limiting failed key checks per client is the HTTP layer's job"},
	{"github.com/sashabaranov/go-openai", []string{"embeddings/...", "assist/...", "internal/openaiapi"}, "the OpenAI client stays behind the embedder and assist ports, which build it in internal/openaiapi"},
	{"github.com/sjwhitworth/golearn", []string{"models/risk/..."}, "only the risk model trains with golearn"},
	{"gonum.org/v1/gonum", []string{"models/risk/..."}, "only the risk model does matrix work with gonum"},
	{"gonum.org/v1/plot", []string{"eval/..."}, "only the evaluation report draws figures"},
	{"github.com/getkin/kin-openapi", []string{"api/contract"}, "the OpenAPI document is checked by the contract tests' transport, never by the server"},
	{"github.com/schollz/progressbar/v3", []string{"cmd/..."}, "progress bars are drawn by the commands, on a terminal only"},
	{"github.com/chromedp/chromedp", nil, "a browser is driven by the UI tests only"},
	{"github.com/chromedp/cdproto", nil, "a browser is driven by the UI tests only"},
	{"go.yaml.in/yaml/v4", nil, "the shipped Prometheus rules are parsed by their test only"},
}

// importerRule names the packages that may import some of the module's own
// packages.
type importerRule struct {
	pkg     string   // package pattern
	allowed []string // patterns of the packages that may import it
	why     string
}

// importerRules keeps tools and outer layers from becoming libraries.
var importerRules = []importerRule{
	{"eval/...", []string{"eval/...", "cmd/..."}, "the evaluation harness is a tool the CLI runs, not part of the service"},
	{"cmd/...", nil, "commands are entry points; code two commands share belongs in a library package"},
	{"triage/postgres/...", []string{"triage/postgres/...", "cmd/..."}, "everything else reaches storage through triage's store ports; the CLI wires the adapter in"},
	{"api/...", []string{"api/...", "cmd/..."}, "the HTTP layer is wired in by the CLI, never used as a library"},
	{"api/contract", nil, "the OpenAPI contract checker serves tests only, so kin-openapi stays out of the binary"},
}

// layers orders the module's packages from the domain outwards. A package
// may import its own layer or a lower one, never a higher one; a package in
// no layer fails the test, so a new package gets its place on purpose.
var layers = []struct {
	name     string
	packages []string
}{
	{"domain", []string{"triage", "internal/..."}},
	{"libraries", []string{"dataset/...", "features/...", "disputes/...", "models/...",
		"embeddings/...", "assist/...", "migrations/...", "webhook/..."}},
	{"adapters", []string{"triage/postgres/...", "api/..."}},
	{"evaluation", []string{"eval/..."}},
	{"commands", []string{"cmd/..."}},
}

// graph is the non-test import graph of the module's packages.
type graph struct {
	module string              // the module path
	pkgs   map[string][]string // module-relative path -> imported import paths
	owner  map[string]string   // import path outside the module -> its module path, "" for the standard library
}

// moduleOf returns the module of an imported package, "" for the standard
// library. A package go list did not place is reported as its own module,
// so it fails as a module no rule names rather than passing as standard.
func (g graph) moduleOf(imp string) string {
	if _, ok := g.rel(imp); ok {
		return g.module
	}
	if m, ok := g.owner[imp]; ok {
		return m
	}
	return imp
}

// rel returns the module-relative path of an import path of the module.
func (g graph) rel(path string) (string, bool) {
	if path == g.module {
		return "", true
	}
	return strings.CutPrefix(path, g.module+"/")
}

// match reports whether the module-relative path rel matches pattern.
func match(pattern, rel string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return rel == base || strings.HasPrefix(rel, base+"/")
	}
	return rel == pattern
}

func matchAny(patterns []string, rel string) bool {
	return slices.ContainsFunc(patterns, func(p string) bool { return match(p, rel) })
}

// allowedText lists patterns for a message.
func allowedText(patterns []string) string {
	if len(patterns) == 0 {
		return "no package outside tests"
	}
	return "only " + strings.Join(patterns, ", ")
}

// each calls f for every import of every package, in a stable order so
// that messages come out the same on every run.
func (g graph) each(f func(pkg, imp string)) {
	for _, p := range slices.Sorted(maps.Keys(g.pkgs)) {
		for _, imp := range g.pkgs[p] {
			f(p, imp)
		}
	}
}

// checkDomain finds imports of the domain package outside the standard
// library.
func checkDomain(g graph) []string {
	var out []string
	for _, imp := range g.pkgs[domain] {
		if m := g.moduleOf(imp); m != "" {
			out = append(out, domain+" imports "+imp+" (module "+m+"): the domain package imports only the standard library")
		}
	}
	return out
}

// checkModules finds third-party imports outside their allowed packages
// and imports of modules no rule names.
func checkModules(g graph) []string {
	var out []string
	g.each(func(pkg, imp string) {
		m := g.moduleOf(imp)
		if m == "" || m == g.module {
			return
		}
		i := slices.IndexFunc(moduleRules, func(r moduleRule) bool { return r.module == m })
		if i < 0 {
			out = append(out, pkg+" imports "+imp+" from module "+m+", which moduleRules does not name: add a row with the adapter package that may import it")
			return
		}
		if r := moduleRules[i]; !matchAny(r.allowed, pkg) {
			out = append(out, pkg+" imports "+imp+" (module "+m+"), which "+allowedText(r.allowed)+" may import: "+r.why)
		}
	})
	return out
}

// checkImporters finds imports of the module's own packages that
// importerRules forbid.
func checkImporters(g graph) []string {
	var out []string
	g.each(func(pkg, imp string) {
		target, ok := g.rel(imp)
		if !ok {
			return
		}
		for _, r := range importerRules {
			if match(r.pkg, target) && !matchAny(r.allowed, pkg) {
				out = append(out, pkg+" imports "+imp+", which "+allowedText(r.allowed)+" may import: "+r.why)
			}
		}
	})
	return out
}

// layerOf returns the index of the layer of rel, -1 for none. The most
// specific pattern wins, so "triage/postgres/..." places triage/postgres
// above the domain package "triage".
func layerOf(rel string) int {
	best, bestLen := -1, -1
	for i, l := range layers {
		for _, p := range l.packages {
			n := len(strings.TrimSuffix(p, "/..."))
			if !strings.HasSuffix(p, "/...") {
				n++ // an exact name beats a subtree of the same name
			}
			if match(p, rel) && n > bestLen {
				best, bestLen = i, n
			}
		}
	}
	return best
}

// checkLayers finds packages in no layer and imports of a higher layer.
func checkLayers(g graph) []string {
	var out []string
	for _, p := range slices.Sorted(maps.Keys(g.pkgs)) {
		if layerOf(p) < 0 {
			out = append(out, p+" is in no layer: add it to layers in internal/layout/layout_test.go")
		}
	}
	g.each(func(pkg, imp string) {
		target, ok := g.rel(imp)
		from, to := layerOf(pkg), layerOf(target)
		if ok && from >= 0 && to > from {
			out = append(out, pkg+" ("+layers[from].name+") imports "+imp+" ("+layers[to].name+"): a package imports only its own layer or lower ones")
		}
	})
	return out
}

// checks are every rule, named for the subtests.
var checks = []struct {
	name  string
	check func(graph) []string
}{
	{"domain imports only the standard library", checkDomain},
	{"third-party modules only in their adapters", checkModules},
	{"restricted packages only by their importers", checkImporters},
	{"no package imports a higher layer", checkLayers},
}

// listedPackage is the part of `go list -json` output the checks read.
type listedPackage struct {
	ImportPath string
	Standard   bool
	Module     *struct {
		Path string
		Main bool
	}
	Imports []string
	Error   *struct{ Err string }
}

// loadGraph lists the module's packages and their dependencies.
func loadGraph(t *testing.T) graph {
	t.Helper()
	gomod, err := exec.CommandContext(t.Context(), "go", "env", "GOMOD").Output()
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	if err != nil || !filepath.IsAbs(root) || strings.TrimSpace(string(gomod)) == os.DevNull {
		t.Fatalf("go env GOMOD = %q, %v: the test must run inside the module", gomod, err)
	}
	statSources(t, root)
	cmd := exec.CommandContext(t.Context(), "go", "list", "-deps", "-json", "./...")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.Bytes())
	}
	g := graph{pkgs: map[string][]string{}, owner: map[string]string{}}
	var own []listedPackage
	dec := json.NewDecoder(bytes.NewReader(stdout))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		if p.Error != nil {
			t.Fatalf("go list: %s: %s", p.ImportPath, p.Error.Err)
		}
		switch {
		case p.Standard:
			g.owner[p.ImportPath] = ""
		case p.Module == nil:
			t.Fatalf("go list: %s belongs to no module", p.ImportPath)
		default:
			if p.Module.Main {
				g.module = p.Module.Path
				own = append(own, p)
			} else {
				g.owner[p.ImportPath] = p.Module.Path
			}
		}
	}
	for _, p := range own {
		rel, _ := g.rel(p.ImportPath)
		g.pkgs[rel] = p.Imports
	}
	if _, ok := g.pkgs[domain]; !ok {
		t.Fatalf("go list found no package %q in module %q: is the domain table stale?", domain, g.module)
	}
	return g
}

// statSources stats every non-test Go file and reads every directory of
// the module. go test caches a passing result keyed on the files a test
// opens or stats, and it cannot see what the go list child process reads;
// without this, `go test ./...` (without -count=1) would replay an old
// pass after an import was added.
func statSources(t *testing.T, root string) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			// The go command ignores these directories too.
			if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") || name == "go.mod" {
			_, err := os.Stat(path)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk the module: %v", err)
	}
}

// TestLayout checks the module's import graph against the rules.
func TestLayout(t *testing.T) {
	g := loadGraph(t)
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			for _, v := range c.check(g) {
				t.Error(v)
			}
		})
	}
}

// TestRulesCatchViolations feeds the checks small graphs, one import each,
// so that a rule that stopped firing (a typo in a table, a broken match)
// fails here and not silently in TestLayout.
func TestRulesCatchViolations(t *testing.T) {
	const mod = "github.com/billtriage/billtriage"
	owner := map[string]string{
		"fmt":                                 "",
		"github.com/jackc/pgx/v5/pgxpool":     "github.com/jackc/pgx/v5",
		"github.com/go-chi/chi/v5":            "github.com/go-chi/chi/v5",
		"github.com/sjwhitworth/golearn/base": "github.com/sjwhitworth/golearn",
		"gonum.org/v1/gonum/mat":              "gonum.org/v1/gonum",
		"gonum.org/v1/plot":                   "gonum.org/v1/plot",
		"github.com/sashabaranov/go-openai":   "github.com/sashabaranov/go-openai",
		"github.com/chromedp/chromedp":        "github.com/chromedp/chromedp",
		"example.com/unlisted":                "example.com/unlisted",
	}
	for _, c := range []struct {
		pkg, imp string
		want     int // violations expected over all checks
	}{
		// Allowed.
		{"triage", "fmt", 0},
		{"triage/postgres", "github.com/jackc/pgx/v5/pgxpool", 0},
		{"triage/postgres/pgtest", mod + "/triage/postgres", 0},
		{"api", "github.com/go-chi/chi/v5", 0},
		{"api/ui", mod + "/api", 0},
		{"models/risk", "github.com/sjwhitworth/golearn/base", 0},
		{"models/risk", "gonum.org/v1/gonum/mat", 0},
		{"assist", "github.com/sashabaranov/go-openai", 0},
		{"embeddings", "github.com/sashabaranov/go-openai", 0},
		{"eval", "gonum.org/v1/plot", 0},
		{"cmd/billtriage", mod + "/eval/convert", 0},
		{"cmd/billtriage", mod + "/triage/postgres", 0},
		{"cmd/billtriage", mod + "/api", 0},
		{"models/classify", mod + "/triage", 0},
		{"disputes/email", mod + "/disputes", 0},
		{"api", mod + "/disputes", 0},
		// Forbidden.
		{"triage", "github.com/jackc/pgx/v5/pgxpool", 2},     // domain; module outside its adapter
		{"triage", mod + "/internal/numfmt", 1},              // the domain imports no package of its own module either
		{"api/ui", "github.com/jackc/pgx/v5/pgxpool", 1},     // pgx outside triage/postgres
		{"models/classify", "gonum.org/v1/gonum/mat", 1},     // gonum is the risk model's, not the classifier's
		{"api", "github.com/chromedp/chromedp", 1},           // tests only
		{"models", "github.com/sjwhitworth/golearn/base", 1}, // the risk model's, in models/risk
		{"api", "example.com/unlisted", 1},                   // a module no row names
		{"features", mod + "/eval", 2},                       // eval is the CLI's; and a higher layer
		{"eval", mod + "/cmd/billtriage", 2},                 // nothing imports a command; and a higher layer
		{"api", mod + "/triage/postgres", 1},                 // storage through the ports only
		{"disputes", mod + "/api", 2},                        // the HTTP layer is wired by the CLI; and a higher layer
		{"triage/postgres", mod + "/api", 1},                 // adapters do not import the HTTP layer
		{"features", mod + "/triage/postgres/pgtest", 2},     // not even the test helper
		{"newpkg", "fmt", 1},                                 // in no layer
		{"internal/numfmt", mod + "/features", 1},            // a helper importing upwards
	} {
		g := graph{module: mod, pkgs: map[string][]string{c.pkg: {c.imp}}, owner: owner}
		var got []string
		for _, ch := range checks {
			got = append(got, ch.check(g)...)
		}
		if len(got) != c.want {
			t.Errorf("%s importing %s: %d violations, want %d: %q", c.pkg, c.imp, len(got), c.want, got)
		}
		for _, v := range got {
			if !strings.Contains(v, c.pkg) {
				t.Errorf("%s importing %s: message does not name the package: %s", c.pkg, c.imp, v)
			}
			if !strings.Contains(v, c.imp) && !strings.Contains(v, "no layer") {
				t.Errorf("%s importing %s: message does not name the import: %s", c.pkg, c.imp, v)
			}
		}
	}
}
