package eval

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WritePatternsReport prints the report as tables.
func WritePatternsReport(w io.Writer, r PatternsReport) {
	fmt.Fprintf(w, "items: %d\n\nclustering against the labels (whole history):\n", r.Items)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "mode\tsimilarity\tpatterns\tcoverage\tpurity\tcompleteness")
	for _, c := range r.Clustering {
		fmt.Fprintf(tw, "%s\t%.2f\t%d\t%.3f\t%.3f\t%.3f\n", c.Mode, c.Similarity, c.Patterns, c.Coverage, c.Purity, c.Completeness)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nseeded incidents:")
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "incident\trecords\tcompleteness\tpurity\tdetected\ttime to detect (h)\tkind\twhere")
	for _, i := range r.Incidents {
		ttd := "—"
		if i.Detected {
			ttd = fmt.Sprintf("%.0f", i.TTDHours)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%t\t%s\t%s\t%s\n", i.Name, i.Records, i.Completeness, i.Purity, i.Detected, ttd, i.Kind, i.Where)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nspike replay: %d runs over %.1f months; %d alarms, %d false (%.2f per month; by kind %v)\n",
		r.Runs, r.Months, r.Alarms, r.FalseAlarms, r.FalseAlarmsPerMonth, r.FalseByKind)
	for _, f := range r.FalseList {
		fmt.Fprintf(w, "  false: %s from %s, %d runs\n", f.Series, f.First.Format("2006-01-02 15:04"), f.Runs)
	}
}
