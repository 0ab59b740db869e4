package main

import (
	"context"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/steamgs/steamgs/ecs/agones/agonestest"
	"github.com/steamgs/steamgs/example_game/internal/cli"
	"github.com/steamgs/steamgs/example_game/internal/testio"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
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

// When Steam asks for a restart, a server under Agones ends every session,
// shuts down through the sidecar and exits 0 (Agones replaces it), not 75.
func TestFleetRestartRequest(t *testing.T) {
	sidecar := agonestest.Start(t, agonestest.Options{Ports: []agonestest.Port{{Name: "default", Port: 7400}}})
	var out testio.SyncBuffer
	log := slog.New(slog.NewTextHandler(&out, nil))
	ctx := context.Background()
	ff := fleetFlags{port: "default", whenEmpty: whenEmptyShutdown, list: "players", wait: 10 * time.Second}
	fl, err := lookupFleet(ctx, ff, envOf("AGONES_SDK_HTTP_PORT", sidecar.Port()), log)
	require.NoError(t, err)
	require.NotNil(t, fl, "under Agones")
	assert.Equal(t, uint16(7400), fl.gamePort())
	assert.Equal(t, 2500*time.Millisecond, fl.idleInterval(time.Minute), "half the default health period")
	assert.Equal(t, time.Second, fl.idleInterval(time.Second))
	assert.Zero(t, fl.idleInterval(0))

	u, err := local.NewUniverse(local.Options{})
	require.NoError(t, err)
	srv, err := server.New(server.Config{Backend: u, Addr: netip.MustParseAddrPort("127.0.0.1:0"),
		Dedicated: true, Logger: log, GamePort: fl.gamePort()})
	require.NoError(t, err)
	require.NoError(t, fl.attach(srv))
	code := make(chan int, 1)
	go func() { code <- fl.serve(ctx, srv, 0, log) }()
	sidecar.Await(t, "Ready", func() bool { return sidecar.State() == "Ready" })
	u.RequestRestart()
	require.Equal(t, exitOK, <-code, "exit code; log:\n%s", out.String())
	assert.Equal(t, "Shutdown", sidecar.State())
	assert.Contains(t, out.String(), "reason=Restart")
}

// A log-on Steam refuses for good ends the server with exit 1, after a
// Shutdown through the sidecar.
func TestFleetLogOnGivenUp(t *testing.T) {
	sidecar := agonestest.Start(t, agonestest.Options{Ports: []agonestest.Port{{Name: "default", Port: 7401}}})
	var out testio.SyncBuffer
	log := slog.New(slog.NewTextHandler(&out, nil))
	ctx := context.Background()
	ff := fleetFlags{port: "default", whenEmpty: whenEmptyShutdown, list: "players", wait: 10 * time.Second}
	fl, err := lookupFleet(ctx, ff, envOf("AGONES_SDK_HTTP_PORT", sidecar.Port()), log)
	require.NoError(t, err)
	u, err := local.NewUniverse(local.Options{})
	require.NoError(t, err)
	u.RefuseLogOn(steamgs.ResultAccessDenied) // never passes with the same account
	srv, err := server.New(server.Config{Backend: u, Addr: netip.MustParseAddrPort("127.0.0.1:0"),
		Dedicated: true, Logger: log, GamePort: fl.gamePort()})
	require.NoError(t, err)
	require.NoError(t, fl.attach(srv))
	code := make(chan int, 1)
	go func() { code <- fl.serve(ctx, srv, 0, log) }()
	require.Equal(t, exitFailure, <-code, "exit code; log:\n%s", out.String())
	assert.Equal(t, "Shutdown", sidecar.State(), "log:\n%s", out.String())
	assert.NotEqual(t, "Ready", sidecar.State())
}

// Not under Agones a nil fleet changes nothing.
func TestFleetNotUnderAgones(t *testing.T) {
	fl, err := lookupFleet(context.Background(), fleetFlags{port: "default", whenEmpty: whenEmptyReady, wait: time.Second}, noEnv, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	assert.Nil(t, fl)
	assert.Zero(t, fl.gamePort())
	assert.Equal(t, time.Second, fl.idleInterval(time.Second))
	assert.NoError(t, fl.attach(nil))
	fl.stop(0)
	var sf cli.ServerFlags
	sf.QueryPort = 27016
	fl.configure(&sf)
	assert.Equal(t, 27016, sf.QueryPort)
}
