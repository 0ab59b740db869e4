package main

import (
	"context"
	"strings"
	"testing"

	"github.com/steamgs/steamgs/ecs/agones/agonestest"
	"github.com/steamgs/steamgs/example_game/internal/cli"
	"github.com/steamgs/steamgs/example_game/internal/testio"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// envOf returns an environment of the variables in kv (name, value, ...).
func envOf(kv ...string) func(string) (string, bool) {
	m := make(map[string]string)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestFleetBadFlags(t *testing.T) {
	tests := []struct {
		args []string
		env  []string
		want string
	}{
		{[]string{"-agones-when-empty", "sleep"}, nil, "want shutdown or ready"},
		{nil, []string{cli.EnvName("agones-when-empty"), "x"}, "-agones-when-empty is"},
		{[]string{"-agones-port", ""}, nil, "-agones-port is empty"},
		{[]string{"-agones-wait", "0s"}, nil, "-agones-wait is 0s"},
	}
	for _, tt := range tests {
		var out testio.SyncBuffer
		assert.Equal(t, exitUsage, run(context.Background(), append(tt.args, "-port", "0", "-ip", "127.0.0.1"), envOf(tt.env...), &out, &out),
			"run(%q)", tt.args)
		assert.Contains(t, out.String(), tt.want, "run(%q) output", tt.args)
	}
}

// On SIGTERM (ctx ends) a server under Agones shuts down through the
// sidecar and exits 0.
func TestFleetSignal(t *testing.T) {
	sidecar := agonestest.Start(t, agonestest.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out testio.SyncBuffer
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"-ip", "127.0.0.1", "-port", "0", "-status-interval", "0"},
			envOf("AGONES_SDK_HTTP_PORT", sidecar.Port()), &out, &out)
	}()
	sidecar.Await(t, "Ready", func() bool { return sidecar.State() == "Ready" })
	cancel()
	require.Equal(t, exitOK, <-code, "exit code; log:\n%s", out.String())
	assert.Equal(t, "Shutdown", sidecar.State())
	assert.Contains(t, out.String(), "reason=Signal")
	assert.True(t, strings.Contains(out.String(), "server shut down"), "log:\n%s", out.String())
}

// A server under Agones that cannot make its Shutdown call exits 1.
func TestFleetShutdownFails(t *testing.T) {
	sidecar := agonestest.Start(t, agonestest.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out testio.SyncBuffer
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"-ip", "127.0.0.1", "-port", "0", "-status-interval", "0"},
			envOf("AGONES_SDK_HTTP_PORT", sidecar.Port()), &out, &out)
	}()
	sidecar.Await(t, "Ready", func() bool { return sidecar.State() == "Ready" })
	sidecar.FailNext("POST /shutdown", 1000)
	cancel()
	require.Equal(t, exitFailure, <-code, "exit code; log:\n%s", out.String())
	assert.Contains(t, out.String(), "gave up on Shutdown")
}
