package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServeMetrics(t *testing.T) {
	u, err := local.NewUniverse(local.Options{})
	require.NoError(t, err)
	srv, err := server.New(server.Config{Backend: u, Addr: netip.MustParseAddrPort("127.0.0.1:0"), Dedicated: true})
	require.NoError(t, err)
	defer func() { assert.NoError(t, srv.Close()) }()

	none, err := serveMetrics("", srv, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	assert.Nil(t, none, "no -metrics, no server")
	assert.NoError(t, none.Close())

	ms, err := serveMetrics("127.0.0.1:0", srv, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer func() { assert.NoError(t, ms.Close()) }()
	srv.Tick()
	srv.Tick()
	base := "http://" + ms.ln.Addr().String()
	c := http.Client{Timeout: 5 * time.Second}
	for path, want := range map[string][]string{
		"/metrics": {"steamgs_ticks_total 2", "steamgs_players{auth=\"approved\"} 0", "go_goroutines", "process_cpu_seconds_total"},
		"/healthz": {"ok"},
	} {
		resp, err := c.Get(base + path)
		require.NoError(t, err)
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, resp.Body.Close())
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
		for _, w := range want {
			assert.Contains(t, string(b), w, path)
		}
	}
	c.CloseIdleConnections()

	_, err = serveMetrics("127.0.0.1:-1", srv, slog.New(slog.DiscardHandler))
	assert.ErrorContains(t, err, "-metrics 127.0.0.1:-1")
}
