package render_test

import (
	"testing"

	"github.com/steamgs/steamgs/example_game/render"
	"go.uber.org/goleak"
)

// The tests of this package need a display (xvfb-run -a): Ebiten opens one
// when the package is loaded. The drawing itself is checked by the
// screenshot tests of example_game/cmd/listen and example_game/cmd/client.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestPlayerColors(t *testing.T) {
	seen := map[[3]uint8]uint16{}
	for id := uint16(1); id <= 8; id++ {
		c := render.PlayerColor(id)
		k := [3]uint8{c.R, c.G, c.B}
		if other, dup := seen[k]; dup {
			t.Errorf("players %d and %d share colour %v", other, id, c)
		}
		seen[k] = id
		if c.A != 0xff {
			t.Errorf("player %d's colour %v is not opaque", id, c)
		}
		for _, ui := range []struct {
			name    string
			r, g, b uint8
		}{{"floor", render.Floor.R, render.Floor.G, render.Floor.B}, {"coin", render.Coin.R, render.Coin.G, render.Coin.B},
			{"text", render.Text.R, render.Text.G, render.Text.B}, {"heading", render.Heading.R, render.Heading.G, render.Heading.B}} {
			if c.R == ui.r && c.G == ui.g && c.B == ui.b {
				t.Errorf("player %d has the %s colour", id, ui.name)
			}
		}
	}
	if render.PlayerColor(1) != render.PlayerColor(9) {
		t.Error("the palette does not wrap around after 8 players")
	}
}

func TestNew(t *testing.T) {
	r, err := render.New()
	if err != nil {
		t.Fatal(err)
	}
	if w, h := r.GlyphSize(); w != 8 || h != 16 {
		t.Errorf("glyphs are %dx%d, want 8x16", w, h)
	}
}
