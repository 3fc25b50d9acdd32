package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/billtriage/billtriage/eval/convert"
)

// converter turns one public data set into dataset format v1 (or the
// invoice CSV). file is what PATH names when it is a directory.
type converter struct {
	summary, file string
	run           func(io.Reader, io.Writer) (convert.Stats, error)
}

var converters = map[string]converter{
	"banking77": {"BANKING77 train.csv → JSONL (stratified 80/20 split in the times)", "train.csv", convert.Banking77},
	"cfpb":      {"CFPB complaints CSV → JSONL (complaints with a narrative)", "complaints_sample.csv", convert.CFPB},
	"ibm-ar":    {"IBM accounts-receivable CSV → invoice CSV (train with --late-after-days 0)", "WA_Fn-UseC_-Accounts-Receivable.csv", convert.IBMAccountsReceivable},
}

func runConvert(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	fs := newFlags("convert", std)
	out := fs.String("out", "-", "output file; - for stdout")
	fs.about = convertAbout()
	name, path, err := convertArgs(fs, args)
	if err != nil {
		return err
	}
	c := converters[name]
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		path = filepath.Join(path, c.file)
	}
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := writeConverted(c, in, *out, std)
	if err != nil {
		return err
	}
	for _, p := range st.Problems {
		fmt.Fprintf(std.Err, "%s: %s\n", path, p)
	}
	fmt.Fprintf(std.Err, "convert %s: %d records written, %d rows omitted by the mapping, %d malformed rows skipped\n",
		name, st.Written, st.Omitted, len(st.Problems))
	return nil
}

// convertArgs takes NAME and PATH with flags before, between or after
// them: the flag package stops at the first argument that is not a flag.
func convertArgs(fs *cmdFlags, args []string) (string, string, error) {
	var pos []string
	for {
		if err := fs.parseFlags(args); err != nil {
			return "", "", err
		}
		if len(fs.Args()) == 0 {
			break
		}
		pos, args = append(pos, fs.Args()[0]), fs.Args()[1:]
	}
	if len(pos) != 2 {
		return "", "", fs.usageError("give a data set (%s) and the PATH of its file", strings.Join(converterNames(), ", "))
	}
	if _, ok := converters[pos[0]]; !ok {
		return "", "", fs.usageError("unknown data set %q (want %s)", pos[0], strings.Join(converterNames(), ", "))
	}
	return pos[0], pos[1], nil
}

func writeConverted(c converter, in io.Reader, out string, std Stdio) (convert.Stats, error) {
	if out == "-" {
		bw := bufio.NewWriter(std.Out)
		st, err := c.run(in, bw)
		if err != nil {
			return st, err
		}
		return st, bw.Flush()
	}
	if dir := filepath.Dir(out); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return convert.Stats{}, err
		}
	}
	var st convert.Stats
	err := writeFile(out, func(f *os.File) error {
		bw := bufio.NewWriter(f)
		var err error
		if st, err = c.run(in, bw); err != nil {
			return err
		}
		return bw.Flush()
	})
	return st, err
}

// converterNames lists the data sets convert knows, sorted; the help
// texts are built from it, so a new converter shows up everywhere.
func converterNames() []string {
	names := make([]string, 0, len(converters))
	for n := range converters {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// convertAbout describes the data sets for `convert -h`.
func convertAbout() string {
	var b strings.Builder
	b.WriteString("PATH is the data set's CSV, or the directory holding it.\n\nData sets:\n")
	for _, n := range converterNames() {
		fmt.Fprintf(&b, "  %-10s %s (file in a directory: %s)\n", n, converters[n].summary, converters[n].file)
	}
	return b.String()
}
