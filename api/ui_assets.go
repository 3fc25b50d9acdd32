package api

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"
)

// assets serves the embedded static files. Their URLs carry a hash of the
// content, so browsers may cache them for long and still see a new build.
type assets struct {
	version map[string]string
	files   http.Handler
}

func loadAssets() (*assets, error) {
	sub, err := fs.Sub(files, "ui/static")
	if err != nil {
		return nil, err
	}
	a := &assets{version: map[string]string{}}
	err = fs.WalkDir(sub, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.version[path] = hex.EncodeToString(sum[:6])
		return nil
	})
	a.files = http.StripPrefix("/ui/static/", http.FileServerFS(sub))
	return a, err
}

// url returns the versioned URL of a static file for templates.
func (a *assets) url(name string) string {
	return "/ui/static/" + name + "?v=" + a.version[name]
}

// ServeHTTP serves a static file; directories are not listed.
func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/ui/static/")
	if _, ok := a.version[name]; !ok {
		http.NotFound(w, r)
		return
	}
	if r.URL.Query().Get("v") == a.version[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	a.files.ServeHTTP(w, r)
}
