package main

import (
	"context"
	"log/slog"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/internal/cli"
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

// TestSIGHUPShutsDownCleanly runs the dedicated server as a process, sends
// it SIGHUP once it is logged on, and checks it ends every session, logs
// off and exits 0, as for SIGTERM.
func TestSIGHUPShutsDownCleanly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGHUP on Windows")
	}
	bin := filepath.Join(t.TempDir(), "dedicated")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	var logs testio.SyncBuffer
	cmd := exec.Command(bin, "-ip", "127.0.0.1", "-port", "0", "-query-port", "-1", "-status-interval", "0")
	cmd.Stderr = &logs
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(logs.String(), "logged on to Steam") {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-done
			require.Fail(t, "no log-on", "log:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGHUP))
	select {
	case err := <-done:
		assert.NoError(t, err, "exit after SIGHUP; log:\n%s", logs.String())
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		require.Fail(t, "no exit after SIGHUP", "log:\n%s", logs.String())
	}
	assert.Contains(t, logs.String(), "server shut down", "clean shutdown")
}

func TestStatusLine(t *testing.T) {
	var st server.Status
	st.Counters.Dropped, st.Counters.Bad, st.Counters.RateLimited = 3, 4, 5
	args := statusArgs(&st)
	got := map[string]any{}
	for i := 0; i+1 < len(args); i += 2 {
		got[args[i].(string)] = args[i+1]
	}
	assert.Subset(t, got, map[string]any{"dropped": uint64(3), "bad": uint64(4), "rate_limited": uint64(5)}, "counters")
	for _, k := range []string{"goroutines", "heap_bytes", "players", "steam"} {
		assert.Contains(t, got, k, "status line")
	}
}

func TestPublicPassphraseWarning(t *testing.T) {
	tests := []struct {
		name     string
		sf       cli.ServerFlags
		wantWarn bool
	}{
		{"default passphrase on every address", cli.ServerFlags{Backend: cli.BackendLocal, IP: "0.0.0.0", Universe: cli.DefaultUniverse}, true},
		{"default passphrase on a LAN address", cli.ServerFlags{Backend: cli.BackendLocal, IP: "192.168.1.2", Universe: cli.DefaultUniverse}, true},
		{"default passphrase on loopback", cli.ServerFlags{Backend: cli.BackendLocal, IP: "127.0.0.1", Universe: cli.DefaultUniverse}, false},
		{"own passphrase", cli.ServerFlags{Backend: cli.BackendLocal, IP: "0.0.0.0", Universe: "a secret"}, false},
		{"real Steam", cli.ServerFlags{Backend: cli.BackendSteamworks, IP: "0.0.0.0", Universe: cli.DefaultUniverse}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out testio.SyncBuffer
			warnPublicPassphrase(slog.New(slog.NewTextHandler(&out, nil)), &tt.sf)
			if !tt.wantWarn {
				assert.Empty(t, out.String(), "log")
				return
			}
			assert.Contains(t, out.String(), "level=WARN", "log")
			assert.Contains(t, out.String(), "-universe", "says what to do")
		})
	}
}
