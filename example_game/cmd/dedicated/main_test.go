package main

import (
	"context"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/internal/testio"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// noEnv is an environment without variables.
func noEnv(string) (string, bool) { return "", false }

func TestServeExitCodes(t *testing.T) {
	tests := []struct {
		name    string
		restart bool
		refuse  bool
		want    int
		log     string
	}{
		{"interrupted", false, false, exitOK, "server shut down"},
		{"restart requested", true, false, exitRestart, "exiting for a restart"},
		{"log-on given up", false, true, exitFailure, "Steam log-on given up"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := local.NewUniverse(local.Options{})
			require.NoError(t, err)
			if tt.refuse {
				u.RefuseLogOn(steamgs.ResultAccessDenied)
			}
			var out testio.SyncBuffer
			log := slog.New(slog.NewTextHandler(&out, nil))
			srv, err := server.New(server.Config{Backend: u, Addr: netip.MustParseAddrPort("127.0.0.1:0"),
				Dedicated: true, Logger: log})
			require.NoError(t, err)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			code := make(chan int)
			go func() { code <- serve(ctx, srv, 50*time.Millisecond, log) }()
			// Wait for the log-on, then ask for a restart or interrupt.
			deadline := time.Now().Add(10 * time.Second)
			for !tt.refuse && !strings.Contains(out.String(), "logged on to Steam") {
				require.False(t, time.Now().After(deadline), "no log-on in the log:\n%s", out.String())
				time.Sleep(10 * time.Millisecond)
			}
			if tt.restart {
				u.RequestRestart()
			} else if !tt.refuse {
				cancel()
			}
			select {
			case got := <-code:
				assert.Equal(t, tt.want, got, "exit code")
			case <-time.After(10 * time.Second):
				cancel()
				require.Fail(t, "serve did not return", "log:\n%s", out.String())
			}
			assert.Contains(t, out.String(), tt.log, "log")
		})
	}
}

func TestRunBadFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-bots", "-1"}, "bots are -1"},
		{[]string{"-tick-rate", "0"}, "tick rate is 0, want 1 to 240"},
		{[]string{"-query-port", "-2"}, "-query-port is -2"},
		{[]string{"-port", "70000"}, "-port is 70000, limit 65535"},
		{[]string{"-nope"}, "flag provided but not defined"},
		{[]string{"-token", "t", "-anonymous"}, "-anonymous logs on without a token"},
		{[]string{"-token", "t", "-token-file", "f"}, "-token and -token-file are both given"},
	}
	for _, tt := range tests {
		var out testio.SyncBuffer
		assert.Equal(t, exitUsage, run(context.Background(), tt.args, noEnv, &out, &out), "run(%q)", tt.args)
		assert.Contains(t, out.String(), tt.want, "run(%q) output", tt.args)
	}
}
