// Package eval is the benchmark harness behind `billtriage eval`: it
// measures the whole triage pipeline on a labelled dataset in format v1 by
// temporal replay, through the same triage.Service the API and the CLI
// use, and writes metrics.json, report.md and plots.
//
// # Replay
//
// Records are ordered by occurred_at (ties by id). Those before the split
// (a fraction, floor(fraction × n) records, or a time) are the history:
// imported with Service.ImportHistory into a fresh store. The rest are the
// test part, submitted one at a time with Service.Submit, each call timed.
// Unless feedback is off, each labelled test case is then resolved with
// Service.Resolve at its resolved_at (or occurred_at) — accept when the
// suggestion's root cause, action and every parameter the label states
// equal the label's; when only root cause and action do, edit to them with
// the label's parameters (an accept records the suggestion's own
// parameters, so this is how the label's corrections join the corrections
// memory, as when a person fixes a parameter before resolving); edit to the
// label otherwise — before any case that occurred after that time is
// triaged, so each case sees exactly the history that existed when it
// occurred. Case.Correct stays "root cause and action right" whichever
// verdict was recorded; run.resolutions counts the three ways. The
// service's clock (Clock) is set to the data's times, never the wall clock.
//
// Lines that are malformed are skipped; records with no label, or whose
// label is invalid, are triaged (they count for latency) but not scored.
// Both are listed by line in label_errors.txt; neither stops the run.
//
// # metrics.json
//
// Keys are stable; a value that the data leaves undefined (precision when
// nothing was automated, say) is null. Ratios are rounded to 6 decimals.
// Everything before "latency_ms" is determined by the input, the policy and
// the embedder; "latency_ms" and "throughput_per_s" are timings.
//
//	dataset.history              history rows imported (labelled records before the split)
//	dataset.test                 test records triaged
//	dataset.labelled             test records with a label: the cases every score below is over
//	dataset.types.<type>         {history, test, labelled} per type
//	dataset.split_at             the split time (RFC 3339): the first test record's time for a fractional split
//	dataset.problems             lines in label_errors.txt
//	root_cause.accuracy          suggested root cause = label
//	root_cause.macro_f1          unweighted mean of per-class F1 over the root causes present in the labels
//	                             (a suggestion outside them, or none, costs recall and is not averaged)
//	root_cause.classes           how many root causes the labels hold
//	action.top1_accuracy         suggested action = label
//	action.top3_accuracy         label action is the suggested action or that of one of the top-3 alternatives
//	queue.accuracy               assigned queue = label queue, over the cases whose label names a queue
//	queue.scored, queue.no_label_queue   how many were scored and how many labels name no queue
//	auto.coverage                share of cases the policy in force enriched automatically
//	auto.precision               share of those whose root cause and action were both right
//	auto.full_precision          share of those whose root cause, action and every parameter the label states were
//	                             right (the headline figure: what was applied); parameters only the suggestion has
//	                             are ignored, and a label without parameters needs root cause and action only
//	auto.automated               how many were automated
//	auto.denied_actions.<type>.<action>  each action the type's cases suggested that none had automated:
//	                             {suggested, correct (root cause and action both right), reason, why}; reason is the
//	                             first rule that held every case: human_only (in human_only_actions), not_automatable
//	                             (automatable_actions does not list it for the type: automation is default-deny, so a
//	                             data set with its own taxonomy lands here until the policy allows its actions),
//	                             below_threshold (allowed, no confidence reached the threshold, or the threshold is
//	                             above 1), other_rules (amount or risk limit, similarity gate, enrichment holds);
//	                             {} when every suggested action was automated
//	recommended_thresholds.<type>  the lowest confidence threshold t for the type such that, among the
//	                             cases the policy would automate at t (confidence ≥ t and ≥ any action
//	                             threshold, and every other rule of the policy passed: automatable and human-only actions,
//	                             amount and collection-risk limits, similarity gate, enrichment holds),
//	                             precision ≥ run.target_precision
//	                             on at least run.min_support cases: {threshold, precision, coverage, support},
//	                             coverage being of all the type's scored cases. Candidate thresholds are the
//	                             observed confidences rounded down to 6 decimals. null when none qualifies.
//	per_type.<type>              {test, root_cause_accuracy, root_cause_macro_f1, auto_coverage,
//	                             auto_precision, auto_full_precision, policy_threshold, automatable: the share the
//	                             policy would automate at threshold 0, i.e. the most any threshold can cover}
//	                             (recommended thresholds and denied actions still count root cause and action only)
//	enrichment.<field>           present when labels carry params.corrections: {labelled, applied, correct,
//	                             coverage (labelled corrections that got an automatic value), precision
//	                             (automatic values equal to the label's; applied where the label corrected
//	                             nothing counts as wrong; a field whose label has reversed_at is left out of that case)}
//	params.<name>                present when any label or suggestion has parameters: {all, auto}, over all scored
//	                             cases and over the automated ones, each {labelled (cases whose label states it),
//	                             suggested (cases whose suggestion gave a value), correct, precision (correct /
//	                             suggested: a value the label does not state counts as wrong), coverage (share of
//	                             labelled cases that got a value, right or not), by_source (suggested, correct and
//	                             precision per source: case, text, mapping, precedent, and enrichment for
//	                             "corrections")}. A suggestion's parameters are what accepting it records: its
//	                             params (from the case, see triage.ParamSchema) and, as "corrections", the field
//	                             corrections enrichment applied. Equality (triage.SameValue): strings trimmed and
//	                             case-sensitive; numbers within 0.005 relative or 0.01 absolute, a numeric string
//	                             meeting a number compared as a number; lists in order, objects key by key;
//	                             "corrections" as sets of (field, key, to), leaving out a field whose label
//	                             correction has reversed_at, and a parameter stating that correction's target
//	risk                         present only when a risk model and invoices are given: the invoices issued
//	                             from the split on, {model, invoices, positives, auc (ties count one half;
//	                             null with one class only), brier, ece (10 equal-width bins)}
//	confidence                   {ece, cases}: calibration of the suggestions' confidence (what the thresholds
//	                             apply to) against being right in root cause, action and every labelled parameter,
//	                             over all scored cases, 10 equal-width bins
//	texts                        present with --truth (the generator's truth.csv): {vague, clear}, each {cases,
//	                             coverage, precision, full_precision, automated, mislabelled_automated (automated
//	                             cases whose label the truth marks as a sibling cause's)}
//	run                          {policy_version, embedder, model (the last decision's model version), feedback,
//	                             target_precision, min_support,
//	                             policy_mismatches: cases where the harness's reading of the policy disagrees
//	                             with the decision, which should be 0,
//	                             resolutions: how the labels were fed back: {accepted (all right), edited_params
//	                             (root cause and action right, edited with the label's parameters), edited (to the
//	                             label), refused (by the service)}; labels due after the last test case are in none}
//	latency_ms                   one Submit call: {p50, p95, p99 (nearest rank: always an observed value),
//	                             mean, max}
//	throughput_per_s             test cases per second of time spent in Submit, one call at a time
//
// # Files
//
// Write puts metrics.json, report.md (headline, per-type table with the
// recommended thresholds, plots, root-cause confusion, input problems and
// an optional comparison with another run), label_errors.txt,
// confusion.csv and the PNG plots (precision_coverage.png, latency.png and,
// with a risk model, reliability.png) into one directory.
//
// PrepareRisk gives a replay the collection-risk model production would
// have had at the split: it trains one on the invoices issued before it
// (models/risk.TrainInvoices), activates it in the run's store so that the
// service scores risk, and sets Config.Risk to score the later invoices.
//
// Nothing imports this package but the command: it imports what it
// measures.
package eval
