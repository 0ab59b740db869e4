package main

import (
	"context"
	"net/netip"
	"testing"

	"github.com/steamgs/steamgs/example_game/internal/testio"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestBotsJoinAndLeave(t *testing.T) {
	const universe = "bot command test"
	u, err := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase(universe)})
	require.NoError(t, err)
	srv, err := server.New(server.Config{Backend: u, Addr: netip.MustParseAddrPort("127.0.0.1:0")})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error)
	go func() { ran <- srv.Run(ctx) }()

	var out testio.SyncBuffer
	code := run(context.Background(), []string{"-server", srv.Addr().String(), "-n", "3", "-name", "tb",
		"-universe", universe, "-duration", "1500ms"}, &out)
	cancel()
	require.NoError(t, <-ran, "Run")
	require.NoError(t, srv.Close())
	require.Equal(t, 0, code, "exit code; log:\n%s", out.String())
	for _, want := range []string{"msg=joined name=tb-1", "name=tb-2", "name=tb-3", "msg=left"} {
		assert.Contains(t, out.String(), want, "log")
	}
	assert.Equal(t, uint64(3), srv.Counters().Joins, "joins the server saw")
}

func TestBotCannotJoin(t *testing.T) {
	var out testio.SyncBuffer
	// Nothing listens there: the handshake times out.
	code := run(context.Background(), []string{"-server", "127.0.0.1:9", "-timeout", "300ms"}, &out)
	assert.Equal(t, 1, code, "exit code; log:\n%s", out.String())
	assert.Contains(t, out.String(), "cannot join", "log")
}
