package main

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/steamgs/steamgs/example_game/internal/testio"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs/local"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestBotsJoinAndLeave(t *testing.T) {
	const universe = "bot command test"
	u, err := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase(universe)})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{Backend: u, Addr: netip.MustParseAddrPort("127.0.0.1:0")})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error)
	go func() { ran <- srv.Run(ctx) }()

	var out testio.SyncBuffer
	code := run(context.Background(), []string{"-server", srv.Addr().String(), "-n", "3", "-name", "tb",
		"-universe", universe, "-duration", "1500ms"}, &out)
	cancel()
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	for _, want := range []string{"msg=joined name=tb-1", "name=tb-2", "name=tb-3", "msg=left"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, out.String())
		}
	}
	if got := srv.Counters().Joins; got != 3 {
		t.Errorf("the server saw %d joins, want 3", got)
	}
}

func TestBotCannotJoin(t *testing.T) {
	var out testio.SyncBuffer
	// Nothing listens there: the handshake times out.
	code := run(context.Background(), []string{"-server", "127.0.0.1:9", "-timeout", "300ms"}, &out)
	if code != 1 || !strings.Contains(out.String(), "cannot join") {
		t.Errorf("exit %d, log:\n%s\nwant 1 and cannot join", code, out.String())
	}
}
