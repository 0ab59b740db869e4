package main

import (
	"image"
	"image/color"
	"net/netip"
	"testing"

	"github.com/steamgs/steamgs/example_game/internal/shottest"
	"github.com/stretchr/testify/require"
)

func rgba(c color.RGBA) [4]uint8 { return [4]uint8{c.R, c.G, c.B, c.A} }

// count counts the pixels of r near the colour c.
func count(img image.Image, r image.Rectangle, c [4]uint8) int {
	return shottest.Count(img, r, color.RGBA{c[0], c[1], c[2], c[3]}, 3)
}

// mustAddr parses the address s.
func mustAddr(t *testing.T, s string) netip.AddrPort {
	t.Helper()
	a, err := netip.ParseAddrPort(s)
	require.NoError(t, err, "address %q", s)
	return a
}
