package main

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/steamgs/steamgs/example_game/internal/cli"
	"github.com/steamgs/steamgs/example_game/internal/testio"
	"github.com/steamgs/steamgs/internal/steamlibtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCheck runs dedicated -check with args on 127.0.0.1 and returns the exit
// code and the checklist.
func runCheck(t *testing.T, env map[string]string, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr testio.SyncBuffer
	lookup := func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}
	args = append([]string{"-check", "-ip", "127.0.0.1", "-port", "0", "-universe", "check test"}, args...)
	code := run(context.Background(), args, lookup, &stdout, &stderr)
	t.Logf("dedicated %q:\n%s%s", args, stdout.String(), stderr.String())
	return code, stdout.String()
}

// line returns the checklist's line of the check name, and the fix line
// after it when there is one.
func line(t *testing.T, out, name string) string {
	t.Helper()
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if strings.Contains(l, "  "+name+": ") {
			if i+1 < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i+1]), "fix: ") {
				return l + "\n" + lines[i+1]
			}
			return l
		}
	}
	require.Failf(t, "no line", "no %q line in the checklist:\n%s", name, out)
	return ""
}

// TestCheckLocal checks a valid deployment on the embedded Steam, in
// GameSocketShare mode and with a query port of its own: every check
// passes, the server logs on and answers its own A2S_INFO.
func TestCheckLocal(t *testing.T) {
	code, out := runCheck(t, nil)
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "all 10 checks passed")
	assert.NotContains(t, out, "FAIL")
	assert.Contains(t, line(t, out, "log-on"), "ok    log-on: logged on to the embedded Steam as [A:1:")
	a2s := line(t, out, "A2S_INFO")
	assert.Contains(t, a2s, "ok    A2S_INFO: answered on 127.0.0.1:")
	assert.Contains(t, a2s, "the game port (GameSocketShare)")
	assert.Contains(t, a2s, `"Coin Arena" on arena, 0/16 players`)

	code, out = runCheck(t, nil, "-query-port", "0", "-name", "Separate")
	assert.Equal(t, exitOK, code)
	a2s = line(t, out, "A2S_INFO")
	assert.Contains(t, a2s, "its query port")
	assert.Contains(t, a2s, `"Separate" on arena`)
}

// TestCheckEnv checks the check reads the flags' environment variables.
func TestCheckEnv(t *testing.T) {
	token := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(token, []byte("abcdef\n"), 0o600))
	code, out := runCheck(t, map[string]string{"STEAMGS_NAME": "Env Arena", "STEAMGS_MAX_PLAYERS": "8",
		"STEAMGS_TOKEN_FILE": token})
	assert.Equal(t, exitOK, code)
	assert.Contains(t, line(t, out, "A2S_INFO"), `"Env Arena" on arena, 0/8 players`)
	assert.Contains(t, line(t, out, "log-on token"), "with a game server log-on token (6 bytes)")
	assert.Contains(t, line(t, out, "log-on"), "[G:1:", "a token gives a persistent Steam ID")
}

// TestCheckFailures checks each failure is reported with its fix, and the
// exit code is 1.
func TestCheckFailures(t *testing.T) {
	busy, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	defer busy.Close()
	port := strconv.Itoa(busy.LocalAddr().(*net.UDPAddr).Port)
	tests := []struct {
		name string
		args []string
		line string
		want []string
	}{
		{"advertising off", []string{"-advertise=false"}, "advertising",
			[]string{"FAIL  advertising: off", "fix: drop -advertise=false"}},
		{"game port taken", []string{"-port", port}, "game port",
			[]string{"FAIL  game port: UDP 127.0.0.1:" + port, "fix: stop what holds UDP port " + port, "-port (STEAMGS_PORT)"}},
		{"query port taken", []string{"-query-port", port}, "query port",
			[]string{"FAIL  query port: UDP 127.0.0.1:" + port, "-query-port (STEAMGS_QUERY_PORT)"}},
		{"bad flag", []string{"-max-players", "99"}, "flags",
			[]string{"FAIL  flags: server: max players is 99", "fix:"}},
		{"no library", []string{"-backend", "steamworks", "-steam-lib", filepath.Join(t.TempDir(), "libsteam_api.so")}, "libsteam_api",
			[]string{"FAIL  libsteam_api: steamworks: cannot load", "fix: put Valve's redistributable libsteam_api", "-steam-lib (STEAMGS_STEAM_LIB)"}},
		{"no token for the real Steam", []string{"-backend", "steamworks", "-steam-lib", "/nonexistent.so"}, "log-on token",
			[]string{"FAIL  log-on token: none given", "managegameservers", "-token-file", "-anonymous"}},
		{"unknown back end", []string{"-backend", "cloud"}, "back end",
			[]string{`FAIL  back end: cli: -backend is "cloud"`, "fix: give -backend local"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out := runCheck(t, nil, tt.args...)
			assert.Equal(t, exitFailure, code)
			assert.Regexp(t, `\d+ of \d+ checks failed`, out)
			l := line(t, out, tt.line)
			for _, w := range tt.want {
				assert.Contains(t, l, w)
			}
		})
	}
	_, out := runCheck(t, nil, "-advertise=false")
	assert.Contains(t, line(t, out, "A2S_INFO"), "skip  A2S_INFO: not asked: advertising is off")
	_, out = runCheck(t, nil, "-port", port)
	assert.Contains(t, line(t, out, "log-on and A2S_INFO"), "skip  log-on and A2S_INFO: not tried: the ports above are taken")
}

// TestCheckUniverse checks the passphrase check: the public default fails
// on an address other machines reach, and passes on loopback.
func TestCheckUniverse(t *testing.T) {
	tests := []struct {
		ip, universe string
		ok           bool
	}{
		{"0.0.0.0", cli.DefaultUniverse, false},
		{"192.0.2.1", cli.DefaultUniverse, false},
		{"127.0.0.1", cli.DefaultUniverse, true},
		{"0.0.0.0", "a secret", true},
	}
	for _, tt := range tests {
		var c checklist
		checkUniverse(&c, &cli.ServerFlags{IP: tt.ip, Universe: tt.universe})
		require.Len(t, c.lines, 1)
		if tt.ok {
			assert.Equal(t, "ok", c.lines[0].status, "%s with %q", tt.ip, tt.universe)
			continue
		}
		assert.Equal(t, "FAIL", c.lines[0].status, "%s with %q", tt.ip, tt.universe)
		assert.Contains(t, c.lines[0].detail, "anyone can make tickets this server accepts")
		assert.Contains(t, c.lines[0].fix, "-universe (STEAMGS_UNIVERSE)")
	}
}

// TestCheckSteamworks checks the real library's lines with Valve's
// libsteam_api and no Steam client: the library loads (SDK 1.61), and
// steamclient.so is missing where libsteam_api looks for it.
func TestCheckSteamworks(t *testing.T) {
	lib := steamlibtest.Path(t)
	home := t.TempDir()
	t.Setenv("HOME", home)
	code, out := runCheck(t, nil, "-backend", "steamworks", "-steam-lib", lib, "-anonymous")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, line(t, out, "libsteam_api"), "ok    libsteam_api: loaded "+lib+": Steamworks SDK 1.61")
	client := line(t, out, "steamclient")
	assert.Contains(t, client, "FAIL  steamclient: "+filepath.Join(home, ".steam", "sdk64", "steamclient.so")+" not found")
	assert.Contains(t, client, "fix: install SteamCMD")
	assert.Contains(t, line(t, out, "log-on token"), "ok    log-on token: none: anonymous, chosen with -anonymous")
	assert.Contains(t, out, "1 of 8 checks failed")

	require.NoError(t, os.MkdirAll(filepath.Join(home, ".steam", "sdk64"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(home, ".steam", "sdk64", "steamclient.so"), nil, 0o644))
	code, out = runCheck(t, nil, "-backend", "steamworks", "-steam-lib", lib, "-token", "t")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, line(t, out, "steamclient"), "ok    steamclient:")
}

// TestHelpListsEnv checks -h names each flag's environment variable.
func TestHelpListsEnv(t *testing.T) {
	var out testio.SyncBuffer
	assert.Equal(t, exitOK, run(context.Background(), []string{"-h"}, noEnv, &out, &out))
	for _, name := range []string{"STEAMGS_NAME", "STEAMGS_MAX_PLAYERS", "STEAMGS_TOKEN", "STEAMGS_TOKEN_FILE",
		"STEAMGS_STEAM_LIB", "STEAMGS_CHECK", "STEAMGS_LOG_FORMAT"} {
		assert.Contains(t, out.String(), "(env "+name+")")
	}
}

// TestEnvFlagWins checks a flag on the command line beats its variable, and
// a bad variable is a usage error naming it.
func TestEnvFlagWins(t *testing.T) {
	code, out := runCheck(t, map[string]string{"STEAMGS_NAME": "Env Arena"}, "-name", "Flag Arena")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, line(t, out, "A2S_INFO"), `"Flag Arena"`)

	var buf testio.SyncBuffer
	bad := func(k string) (string, bool) {
		if k == "STEAMGS_BOTS" {
			return "some", true
		}
		return "", false
	}
	assert.Equal(t, exitUsage, run(context.Background(), nil, bad, &buf, &buf))
	assert.Contains(t, buf.String(), `STEAMGS_BOTS="some" for -bots`)
}
