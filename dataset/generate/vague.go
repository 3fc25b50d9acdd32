package generate

// vagueTexts don't reveal their cause. About 5% of records use one; their
// label is still the true cause, as it would be in a real history where the
// analyst found out later. They keep a benchmark from rewarding overfitting.
var vagueTexts = []string{
	`Invoice ${inv} looks wrong, {please check|can someone check?|pls check}`,
	`Something is off with {our|the} ${month} {bill|invoice} for ${cust_short}.${@please}`,
	`{Can|Could} someone look at ${inv}? {The numbers don't match|It doesn't match} what we expected.`,
	`${cust_short} invoice flagged for review{.| - see attached.| by AR.}`,
	`Billing exception on ${inv}{ - needs triage|, no details in the alert|}.`,
	`Amount on ${inv} {seems|looks} {incorrect|off|too high|strange}.`,
	`{Received|Got} an alert for ${cid}, {unclear what's wrong|not sure what it means|no further info}.`,
	`{Question|Query} about invoice ${inv} (${amt}).`,
	`re ${inv}: {not right|doesn't look right|wrong total}`,
	`Exception raised for ${cust} (${cid}).${@tail}`,
}
