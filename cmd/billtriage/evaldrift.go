package main

import "context"

func runEvalDrift(_ context.Context, args []string, std Stdio, getenv func(string) string) error {
	return nil
}
