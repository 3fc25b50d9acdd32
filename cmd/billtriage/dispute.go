package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/billtriage/billtriage/disputes"
	"github.com/billtriage/billtriage/disputes/email"
	"github.com/billtriage/billtriage/triage"
)

func runDispute(ctx context.Context, args []string, std Stdio, getenv func(string) string) error {
	var cfg Config
	fs := newFlags("dispute", std)
	cfg.bindGroups(fs, getenv, pipelineFlags|assistFlags)
	customer := fs.String("customer", "", "customer id hint")
	invoice := fs.String("invoice", "", "invoice id hint")
	if err := parse(fs, args); err != nil {
		return err
	}
	raw, err := io.ReadAll(io.LimitReader(std.In, email.MaxBytes+1))
	if err != nil {
		return err
	}
	if len(raw) > email.MaxBytes {
		return fmt.Errorf("the email is larger than %d bytes; paste the customer's latest message only", email.MaxBytes)
	}
	a, err := openApp(ctx, cfg, cfg.logger(std.Err))
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.intake.Submit(ctx, triage.System("dispute"), disputes.Request{Raw: string(raw), CustomerID: *customer, InvoiceID: *invoice})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(std.Out)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
