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

// runReady runs the dedicated command under a fake sidecar until it is
// Ready, and returns the sidecar, the cancel of run's context (SIGTERM),
// its log and its exit code, to come.
func runReady(t *testing.T) (*agonestest.Sidecar, context.CancelFunc, *testio.SyncBuffer, <-chan int) {
	t.Helper()
	sidecar := agonestest.Start(t, agonestest.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	out := new(testio.SyncBuffer)
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"-ip", "127.0.0.1", "-port", "0", "-status-interval", "0"},
			envOf("AGONES_SDK_HTTP_PORT", sidecar.Port()), out, out)
	}()
	sidecar.Await(t, "Ready", func() bool { return sidecar.State() == "Ready" })
	return sidecar, cancel, out, code
}

// On SIGTERM (ctx ends) a server under Agones shuts down through the
// sidecar and exits 0.
func TestFleetSignal(t *testing.T) {
	sidecar, cancel, out, code := runReady(t)
	cancel()
	require.Equal(t, exitOK, <-code, "exit code; log:\n%s", out.String())
	assert.Equal(t, "Shutdown", sidecar.State())
	assert.Contains(t, out.String(), "reason=Signal")
	assert.True(t, strings.Contains(out.String(), "server shut down"), "log:\n%s", out.String())
}

// A server under Agones that cannot make its Shutdown call exits 1.
func TestFleetShutdownFails(t *testing.T) {
	sidecar, cancel, out, code := runReady(t)
	sidecar.FailNext("POST /shutdown", 1000)
	cancel()
	require.Equal(t, exitFailure, <-code, "exit code; log:\n%s", out.String())
	assert.Contains(t, out.String(), "gave up on Shutdown")
}

// fleetServer is an example server on the embedded Steam under the fake
// sidecar, served by the fleet's serve on its own goroutine.
type fleetServer struct {
	sidecar *agonestest.Sidecar
	fl      *fleet
	u       *local.Universe
	out     *testio.SyncBuffer
	code    chan int // serve's exit code
}

// startFleet looks the fleet up under a fake sidecar whose "default" port
// is port, then starts serving a server on u with it; before runs once the
// universe exists, before the server starts.
func startFleet(t *testing.T, port uint16, before func(u *local.Universe)) *fleetServer {
	t.Helper()
	f := &fleetServer{out: new(testio.SyncBuffer), code: make(chan int, 1)}
	f.sidecar = agonestest.Start(t, agonestest.Options{Ports: []agonestest.Port{{Name: "default", Port: int32(port)}}})
	log := slog.New(slog.NewTextHandler(f.out, nil))
	ff := fleetFlags{port: "default", whenEmpty: whenEmptyShutdown, list: "players", wait: 10 * time.Second}
	var err error
	f.fl, err = lookupFleet(context.Background(), ff, envOf("AGONES_SDK_HTTP_PORT", f.sidecar.Port()), log)
	require.NoError(t, err)
	require.NotNil(t, f.fl, "under Agones")
	f.u, err = local.NewUniverse(local.Options{})
	require.NoError(t, err)
	if before != nil {
		before(f.u)
	}
	srv, err := server.New(server.Config{Backend: f.u, Addr: netip.MustParseAddrPort("127.0.0.1:0"),
		Dedicated: true, Logger: log, GamePort: f.fl.gamePort()})
	require.NoError(t, err)
	require.NoError(t, f.fl.attach(srv))
	go func() { f.code <- f.fl.serve(context.Background(), srv, 0, log) }()
	return f
}

// When Steam asks for a restart, a server under Agones ends every session,
// shuts down through the sidecar and exits 0 (Agones replaces it), not 75.
func TestFleetRestartRequest(t *testing.T) {
	f := startFleet(t, 7400, nil)
	assert.Equal(t, uint16(7400), f.fl.gamePort())
	assert.Equal(t, 2500*time.Millisecond, f.fl.idleInterval(time.Minute), "half the default health period")
	assert.Equal(t, time.Second, f.fl.idleInterval(time.Second))
	assert.Zero(t, f.fl.idleInterval(0))
	f.sidecar.Await(t, "Ready", func() bool { return f.sidecar.State() == "Ready" })
	f.u.RequestRestart()
	require.Equal(t, exitOK, <-f.code, "exit code; log:\n%s", f.out.String())
	assert.Equal(t, "Shutdown", f.sidecar.State())
	assert.Contains(t, f.out.String(), "reason=Restart")
}

// A log-on Steam refuses for good ends the server with exit 1, after a
// Shutdown through the sidecar.
func TestFleetLogOnGivenUp(t *testing.T) {
	f := startFleet(t, 7401, func(u *local.Universe) {
		u.RefuseLogOn(steamgs.ResultAccessDenied) // never passes with the same account
	})
	require.Equal(t, exitFailure, <-f.code, "exit code; log:\n%s", f.out.String())
	assert.Equal(t, "Shutdown", f.sidecar.State(), "log:\n%s", f.out.String())
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
