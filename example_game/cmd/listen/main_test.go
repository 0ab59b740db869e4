package main

import (
	"image"
	"os"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/game"
	"github.com/steamgs/steamgs/example_game/internal/shottest"
	"github.com/steamgs/steamgs/example_game/render"
	"github.com/steamgs/steamgs/example_game/server"
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
	if got := img.Bounds().Size(); got != image.Pt(render.ScreenWidth, render.ScreenHeight) {
		t.Fatalf("screenshot is %v, want %dx%d", got, render.ScreenWidth, render.ScreenHeight)
	}
	if n := shottest.Colors(img); n < 20 {
		t.Errorf("%d distinct colours: a blank frame", n)
	}
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
		if n := count(img, tt.area, tt.c); n < tt.min {
			t.Errorf("%s: %d pixels of its colour, want at least %d", tt.what, n, tt.min)
		}
	}
	// Bots may pass over each other: count them together, and each at all.
	bots := 0
	for id := range uint16(3) {
		n := count(img, arena, rgba(render.PlayerColor(id+1)))
		if n == 0 {
			t.Errorf("bot %d is not drawn", id+1)
		}
		bots += n
	}
	if bots < 250 {
		t.Errorf("bots: %d pixels of their colours, want at least 250", bots)
	}
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
		if n := count(img, tt.area, tt.c); n < tt.min {
			t.Errorf("%s: %d pixels of its colour, want at least %d", tt.what, n, tt.min)
		}
	}
	// The host stands still at its spawn point, which the panel must not
	// cover: under the panel's translucent backdrop its colour would not
	// match.
	spawn := server.LocalSpawn(game.DefaultRules())
	x, y := int(spawn.X), render.HUDHeight+int(spawn.Y)
	host := image.Rect(x-game.PlayerRadius, y-game.PlayerRadius, x+game.PlayerRadius, y+game.PlayerRadius)
	if host.Min.Y < panel.Max.Y {
		t.Errorf("the host's spawn %v is under the panel's first rows %v", host, panel)
	}
	if n := count(img, host, rgba(render.PlayerColor(4))); n < 60 {
		t.Errorf("host at its spawn point: %d pixels of its colour, want at least 60 (hidden by the panel?)", n)
	}
	rows := 0
	for id := range uint16(4) {
		rows += count(img, panel, rgba(render.PlayerColor(id+1)))
	}
	if rows < 30 {
		t.Errorf("player rows: %d pixels of the players' colours in the panel, want at least 30", rows)
	}
	if n := count(img, panel, rgba(render.Floor)); n > panel.Dx()*panel.Dy()/10 {
		t.Errorf("%d pixels of bare floor inside the panel: the panel is not drawn", n)
	}
	for _, want := range []string{"local player joined", "player approved"} {
		if !contains(out, want) {
			t.Errorf("the server's log lacks %q:\n%s", want, out)
		}
	}
}

// panelBox returns the server panel's first eight rows (the server's
// lines, the column headers and the first player): x0, y0, x1, y1.
func panelBox() (int, int, int, int) {
	return 16, render.HUDHeight + 12, render.ScreenWidth - 16, render.HUDHeight + 12 + 10 + 8*16
}
