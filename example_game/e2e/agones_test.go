package e2e_test

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	a2s "github.com/rumblefrog/go-a2s"
	"github.com/steamgs/steamgs/ecs/agones/agonestest"
	"github.com/steamgs/steamgs/example_game/internal/cli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDedicatedUnderAgones runs the dedicated server as a process under a
// fake Agones sidecar: it goes Scheduled → Ready once Steam logs it on,
// Allocated when a bot joins it directly (listed in "players"), and
// Shutdown when the bot leaves; then it exits 0 by itself. It also serves
// /metrics and /healthz on -metrics.
func TestDedicatedUnderAgones(t *testing.T) {
	bins := build(t, "dedicated", "bot")
	const universe = "e2e agones universe"
	sidecar := agonestest.Start(t, agonestest.Options{Address: "127.0.0.1",
		Ports: []agonestest.Port{{Name: "game", Port: 7301}},
		Lists: map[string]agonestest.List{"players": {Capacity: 1000}}})
	t.Setenv("AGONES_SDK_HTTP_PORT", sidecar.Port()) // the children inherit it
	t.Setenv(cli.EnvName("agones-port"), "game")
	require.Equal(t, "Scheduled", sidecar.State())

	srv := start(t, "dedicated", bins["dedicated"], "-ip", "127.0.0.1", "-port", "0", "-bots", "0",
		"-max-players", "4", "-universe", universe, "-log-format", "json", "-status-interval", "0",
		"-metrics", "127.0.0.1:0")
	var addr, metricsAddr string
	eventually(t, 20*time.Second, func() string {
		for _, r := range srv.records() {
			switch r["msg"] {
			case "server started":
				addr, _ = r["addr"].(string)
			case "serving metrics":
				metricsAddr, _ = r["addr"].(string)
			}
		}
		if addr == "" || metricsAddr == "" {
			return "the server did not log its addresses"
		}
		return ""
	})
	states := []string{"Scheduled"}
	await := func(state string, values []string) {
		t.Helper()
		sidecar.Await(t, state+" with players "+strings.Join(values, ","), func() bool {
			l, _ := sidecar.List("players")
			return sidecar.State() == state && slices.Equal(l.Values, values)
		})
		states = append(states, state)
	}
	await("Ready", nil)
	l, _ := sidecar.List("players")
	assert.EqualValues(t, 4, l.Capacity, "players list capacity")

	body := get(t, "http://"+metricsAddr+"/metrics")
	assert.Contains(t, body, "steamgs_steam_connected 1")
	assert.Contains(t, body, "go_goroutines")
	assert.Contains(t, body, "process_resident_memory_bytes")
	assert.Equal(t, "ok\n", get(t, "http://"+metricsAddr+"/healthz"))
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, "steamgs_") {
			t.Log(line)
		}
	}

	// Server browsers are told the host port, not the container port.
	q, err := a2s.NewClient(addr, a2s.TimeoutOption(2*time.Second))
	require.NoError(t, err)
	info, err := q.QueryInfo()
	require.NoError(t, err)
	require.NoError(t, q.Close())
	if assert.NotNil(t, info.ExtendedServerInfo, "A2S_INFO's extra data") {
		assert.Equal(t, uint16(7301), info.ExtendedServerInfo.Port, "A2S_INFO game port")
	}

	u, err := (&cli.ClientFlags{Universe: universe}).OpenUniverse()
	require.NoError(t, err)
	id := (&cli.ClientFlags{AppID: 480}).Account(u, "delta")
	bot := start(t, "bot", bins["bot"], "-server", addr, "-name", "delta", "-universe", universe)
	await("Allocated", []string{strconv.FormatUint(uint64(id), 10)})

	require.NoError(t, bot.cmd.Process.Signal(syscall.SIGTERM))
	assert.Equal(t, 0, bot.wait(t, 20*time.Second), "bot's exit code")
	await("Shutdown", nil)
	assert.Equal(t, 0, srv.wait(t, 30*time.Second), "dedicated's exit code")
	t.Logf("states: %s", strings.Join(states, " → "))
	assert.GreaterOrEqual(t, sidecar.Count("POST /allocate"), 1, "Allocate calls")
	var steamID string
	for _, r := range srv.records() {
		if r["msg"] == "logged on to Steam" {
			steamID, _ = r["steam_id"].(string)
		}
	}
	label, _ := sidecar.Label("steam-id")
	assert.NotEmpty(t, label, "steam-id label (the server logged %q)", steamID)
}

// get fetches url over loopback and returns its body; the answer must be
// 200.
func get(t *testing.T, url string) string {
	t.Helper()
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "GET %s: %s", url, b)
	return string(b)
}
