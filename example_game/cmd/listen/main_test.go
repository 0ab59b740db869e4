package main

import (
	"image"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/game"
	"github.com/steamgs/steamgs/example_game/internal/shottest"
	"github.com/steamgs/steamgs/example_game/render"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain runs the listen server itself when the test binary is started as
// a child by a screenshot test: Ebiten must own the main thread. The tests
// of this package need a display (xvfb-run -a).
func TestMain(m *testing.M) {
	if args, ok := shottest.ChildArgs(); ok {
		os.Exit(run(args, os.Stderr))
	}
	goleak.VerifyTestMain(m)
}

// listenArgs are the flags of a screenshot run: a fixed number of ticks of a
// seeded game with three bots, on a free port of 127.0.0.1.
func listenArgs(shot string, extra ...string) []string {
	return append([]string{"-ip", "127.0.0.1", "-port", "0", "-bots", "3", "-seed", "1",
		"-universe", "listen screenshot test", "-screenshot", shot, "-ticks", "90"}, extra...)
}

// arena is the arena's part of the screen.
var arena = image.Rect(0, render.HUDHeight, render.ScreenWidth, render.ScreenHeight)

// TestScreenshotArena runs the listen server for 90 ticks with the panel
// hidden and checks the frame shows the arena, the coins, the three bots and
// the host, and the bar.
func TestScreenshotArena(t *testing.T) {
	path := shottest.ScreenshotPath(t, "listen-arena.png")
	shottest.RunChild(t, 2*time.Minute, listenArgs(path, "-hide-panel")...)
	img := shottest.Load(t, path)
	t.Logf("screenshot: %s", path)
	require.Equal(t, image.Pt(render.ScreenWidth, render.ScreenHeight), img.Bounds().Size(), "screenshot size")
	assert.GreaterOrEqual(t, shottest.Colors(img), 20, "distinct colours: a blank frame?")
	tests := []struct {
		what string
		area image.Rectangle
		c    [4]uint8
		min  int
	}{
		{"arena floor", arena, rgba(render.Floor), arena.Dx() * arena.Dy() / 2},
		{"coins", arena, rgba(render.Coin), 12 * 40},
		{"host", arena, rgba(render.PlayerColor(4)), 60},
		{"bar", image.Rect(0, 0, render.ScreenWidth, render.HUDHeight), rgba(render.HUDBackground), render.ScreenWidth * 20},
		{"bar title", image.Rect(0, 0, render.ScreenWidth, render.HUDHeight), rgba(render.Heading), 20},
	}
	for _, tt := range tests {
		assert.GreaterOrEqual(t, count(img, tt.area, tt.c), tt.min, "%s: pixels of its colour", tt.what)
	}
	// Bots may pass over each other: count them together, and each at all.
	bots := 0
	for id := range uint16(3) {
		n := count(img, arena, rgba(render.PlayerColor(id+1)))
		assert.NotZero(t, n, "bot %d is not drawn", id+1)
		bots += n
	}
	assert.GreaterOrEqual(t, bots, 250, "bots: pixels of their colours")
}

// TestScreenshotPanel runs the listen server for 90 ticks with the server
// panel shown and checks the panel and its text are drawn over the arena.
func TestScreenshotPanel(t *testing.T) {
	path := shottest.ScreenshotPath(t, "listen.png")
	out := shottest.RunChild(t, 2*time.Minute, listenArgs(path)...)
	img := shottest.Load(t, path)
	t.Logf("screenshot: %s", path)
	panel := image.Rect(panelBox())
	tests := []struct {
		what string
		area image.Rectangle
		c    [4]uint8
		min  int
	}{
		{"panel text", panel, rgba(render.Text), 150},
		{"panel headings", panel, rgba(render.Heading), 30},
		{"arena floor around the panel", arena, rgba(render.Floor), 20000},
	}
	for _, tt := range tests {
		assert.GreaterOrEqual(t, count(img, tt.area, tt.c), tt.min, "%s: pixels of its colour", tt.what)
	}
	// The host stands still at its spawn point, which the panel must not
	// cover: under the panel's translucent backdrop its colour would not
	// match.
	spawn := server.LocalSpawn(game.DefaultRules())
	x, y := int(spawn.X), render.HUDHeight+int(spawn.Y)
	host := image.Rect(x-game.PlayerRadius, y-game.PlayerRadius, x+game.PlayerRadius, y+game.PlayerRadius)
	assert.GreaterOrEqual(t, host.Min.Y, panel.Max.Y, "the host's spawn %v is under the panel's first rows %v", host, panel)
	assert.GreaterOrEqual(t, count(img, host, rgba(render.PlayerColor(4))), 60, "host at its spawn point: pixels of its colour (hidden by the panel?)")
	rows := 0
	for id := range uint16(4) {
		rows += count(img, panel, rgba(render.PlayerColor(id+1)))
	}
	assert.GreaterOrEqual(t, rows, 30, "player rows: pixels of the players' colours in the panel")
	assert.LessOrEqual(t, count(img, panel, rgba(render.Floor)), panel.Dx()*panel.Dy()/10, "pixels of bare floor inside the panel: is the panel drawn?")
	for _, want := range []string{"local player joined", "player approved"} {
		assert.Contains(t, out, want, "the server's log")
	}
}

// panelBox returns the server panel's first eight rows (the server's
// lines, the column headers and the first player): x0, y0, x1, y1.
func panelBox() (int, int, int, int) {
	return 16, render.HUDHeight + 12, render.ScreenWidth - 16, render.HUDHeight + 12 + 10 + 8*16
}

// TestSignalShutdown sends SIGTERM, then SIGINT, to a running listen server:
// it shuts down as on Esc, ending the auth session of every player (the host
// and three bots) before it logs off, and exits 0.
func TestSignalShutdown(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			c := shottest.StartChild(t, "-ip", "127.0.0.1", "-port", "0", "-bots", "3", "-universe", "listen signal test")
			require.Eventually(t, func() bool {
				return strings.Contains(c.Out.String(), "name=host") &&
					strings.Count(c.Out.String(), "player approved") == 4
			}, time.Minute, 20*time.Millisecond,
				"the host and the bots approved; output:\n%s", c.Out.String())
			require.NoError(t, c.Cmd.Process.Signal(sig))
			select {
			case <-c.Done:
			case <-time.After(time.Minute):
				require.Fail(t, "no exit after the signal", "output:\n%s", c.Out.String())
			}
			require.NoError(t, c.Err, "exit status; output:\n%s", c.Out.String())
			out := c.Out.String()
			assert.Contains(t, out, `msg="signal received: shutting down"`)
			assert.Contains(t, out, `msg="server shut down" sessions_ended=4`)
		})
	}
}
