package render_test

import (
	"testing"

	"github.com/steamgs/steamgs/example_game/render"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
		other, dup := seen[k]
		assert.False(t, dup, "players %d and %d share colour %v", other, id, c)
		seen[k] = id
		assert.Equal(t, uint8(0xff), c.A, "player %d's colour %v is not opaque", id, c)
		for _, ui := range []struct {
			name    string
			r, g, b uint8
		}{{"floor", render.Floor.R, render.Floor.G, render.Floor.B}, {"coin", render.Coin.R, render.Coin.G, render.Coin.B},
			{"text", render.Text.R, render.Text.G, render.Text.B}, {"heading", render.Heading.R, render.Heading.G, render.Heading.B}} {
			assert.NotEqual(t, [3]uint8{ui.r, ui.g, ui.b}, k, "player %d has the %s colour", id, ui.name)
		}
	}
	assert.Equal(t, render.PlayerColor(1), render.PlayerColor(9), "the palette does not wrap around after 8 players")
}

func TestNew(t *testing.T) {
	r, err := render.New()
	require.NoError(t, err)
	w, h := r.GlyphSize()
	assert.Equal(t, 8, w, "glyph width")
	assert.Equal(t, 16, h, "glyph height")
}

func TestWrap(t *testing.T) {
	tests := []struct {
		s     string
		width int
		want  []string
	}{
		{"", 10, []string{""}},
		{"short", 10, []string{"short"}},
		{"could not join 127.0.0.1:27015: refused by Steam", 20,
			[]string{"could not join", "127.0.0.1:27015:", "refused by Steam"}},
		{"a  b   c", 3, []string{"a b", "c"}},
		{"exactly ten", 11, []string{"exactly ten"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"go abcdefghij x", 4, []string{"go", "abcd", "efgh", "ij x"}},
		{"ünïcödé wörds", 7, []string{"ünïcödé", "wörds"}},
		{"one\ntwo three", 5, []string{"one", "two", "three"}},
		{"ab", 0, []string{"a", "b"}},
	}
	for _, tt := range tests {
		got := render.Wrap(tt.s, tt.width)
		assert.Equal(t, tt.want, got, "Wrap(%q, %d)", tt.s, tt.width)
		for _, l := range got {
			assert.LessOrEqual(t, len([]rune(l)), max(tt.width, 1), "Wrap(%q, %d): line %q", tt.s, tt.width, l)
		}
	}
}
