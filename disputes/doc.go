// Package disputes is the intake of dispute emails: an [Intake] turns a
// pasted email into a triaged billing_dispute exception. It parses the
// paste (package disputes/email), links it to a customer and an invoice,
// triages it through the same service and policy as every other exception,
// and, when an assistant is configured, asks a language model for a
// summary for the reviewer, sending only redacted text.
//
// [PrepareText] is the service's triage.Preparer, so that emails from any
// source (the intake, a loaded history) are matched on what the customer
// wrote this time.
package disputes
