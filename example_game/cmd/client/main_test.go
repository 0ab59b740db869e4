package main

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"net"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/internal/shottest"
	"github.com/steamgs/steamgs/example_game/render"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain runs the client itself when the test binary is started as a
// child by a screenshot test: Ebiten must own the main thread. The tests of
// this package need a display (xvfb-run -a).
func TestMain(m *testing.M) {
	if args, ok := shottest.ChildArgs(); ok {
		os.Exit(run(args, os.Stderr))
	}
	goleak.VerifyTestMain(m)
}

const universe = "client screenshot test"

// startServer runs a server with three bots on 127.0.0.1 until the test
// ends.
func startServer(t *testing.T) *server.Server {
	t.Helper()
	u, err := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase(universe)})
	require.NoError(t, err)
	srv, err := server.New(server.Config{Backend: u, Addr: netip.MustParseAddrPort("127.0.0.1:0"), Bots: 3,
		Name: "Screenshot Arena", Advertise: true, Dedicated: true})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- srv.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done, "Run")
		assert.NoError(t, srv.Close(), "Close")
	})
	return srv
}

func count(img image.Image, r image.Rectangle, c color.RGBA) int { return shottest.Count(img, r, c, 3) }

// TestScreenshotGame joins a server and checks the client draws the arena,
// the coins, the bots and its own player from the server's snapshots.
func TestScreenshotGame(t *testing.T) {
	srv := startServer(t)
	path := shottest.ScreenshotPath(t, "client.png")
	shottest.RunChild(t, 2*time.Minute, "-connect", "-server", srv.Addr().String(), "-universe", universe,
		"-name", "viewer", "-screenshot", path, "-ticks", "30")
	t.Logf("screenshot: %s", path)
	img := shottest.Load(t, path)
	arena := image.Rect(0, render.HUDHeight, render.ScreenWidth, render.ScreenHeight)
	tests := []struct {
		what string
		area image.Rectangle
		c    color.RGBA
		min  int
	}{
		{"arena floor", arena, render.Floor, arena.Dx() * arena.Dy() / 2},
		{"coins", arena, render.Coin, 12 * 40},
		{"the viewer", arena, render.PlayerColor(4), 60},
		{"bar title", image.Rect(0, 0, render.ScreenWidth, render.HUDHeight), render.Heading, 20},
	}
	for _, tt := range tests {
		assert.GreaterOrEqual(t, count(img, tt.area, tt.c), tt.min, "%s: pixels of its colour", tt.what)
	}
	// The bots move, and may pass over each other: count them together.
	bots := 0
	for id := range uint16(3) {
		bots += count(img, arena, render.PlayerColor(id+1))
	}
	assert.GreaterOrEqual(t, bots, 250, "bots: pixels of their colours")
}

// TestScreenshotBrowser lists the server in the browser and checks the list
// is drawn.
func TestScreenshotBrowser(t *testing.T) {
	srv := startServer(t)
	path := shottest.ScreenshotPath(t, "client-browser.png")
	port := srv.Addr().Port()
	shottest.RunChild(t, 2*time.Minute, "-host", "127.0.0.1", "-ports", fmt.Sprintf("%d-%d", port, port),
		"-universe", universe, "-screenshot", path, "-ticks", "3")
	t.Logf("screenshot: %s", path)
	img := shottest.Load(t, path)
	// The header and the selected row are in the heading colour.
	list := image.Rect(16, render.HUDHeight+12, render.ScreenWidth-16, render.HUDHeight+12+10+3*16)
	assert.GreaterOrEqual(t, count(img, list, render.Heading), 150, "pixels of heading text in the list")
	assert.GreaterOrEqual(t, shottest.Colors(img), 10, "distinct colours: a blank frame?")
}

// TestConnectFailures runs the client with -connect where it cannot join:
// it says why on standard error and exits 1.
func TestConnectFailures(t *testing.T) {
	srv := startServer(t)
	closed, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	nobody := closed.LocalAddr().String()
	require.NoError(t, closed.Close())
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"another universe", []string{"-server", srv.Addr().String(), "-universe", "not the server's"},
			[]string{"client: could not join " + srv.Addr().String() + ": refused by Steam: BeginAuthSession: InvalidTicket",
				"is -universe the server's?"}},
		{"another app", []string{"-server", srv.Addr().String(), "-universe", universe, "-app-id", "999"},
			[]string{"refused by Steam: BeginAuthSession: GameMismatch"}},
		{"no answer", []string{"-server", nobody, "-timeout", "1s"},
			[]string{"client: could not join " + nobody + ": no answer", "is a server running there?"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out := shottest.RunChildCode(t, 2*time.Minute, append([]string{"-connect", "-name", "refused"}, tt.args...)...)
			assert.Equal(t, 1, code, "exit code; output:\n%s", out)
			for _, w := range tt.want {
				assert.Contains(t, out, w)
			}
		})
	}
}

func TestParsePorts(t *testing.T) {
	tests := []struct {
		in          string
		first, last uint16
		ok          bool
	}{
		{"27015-27020", 27015, 27020, true},
		{"27015", 27015, 27015, true},
		{"27020-27015", 0, 0, false},
		{"0-10", 0, 0, false},
		{"a-b", 0, 0, false},
		{"1-70000", 0, 0, false},
	}
	for _, tt := range tests {
		first, last, err := parsePorts(tt.in)
		if tt.ok {
			assert.NoError(t, err, "parsePorts(%q)", tt.in)
		} else {
			assert.Error(t, err, "parsePorts(%q)", tt.in)
		}
		assert.Equal(t, tt.first, first, "parsePorts(%q): first", tt.in)
		assert.Equal(t, tt.last, last, "parsePorts(%q): last", tt.in)
	}
}
