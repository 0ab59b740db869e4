package main

import (
	"image"
	"image/color"

	"github.com/steamgs/steamgs/example_game/internal/shottest"
)

func rgba(c color.RGBA) [4]uint8 { return [4]uint8{c.R, c.G, c.B, c.A} }

// count counts the pixels of r near the colour c.
func count(img image.Image, r image.Rectangle, c [4]uint8) int {
	return shottest.Count(img, r, color.RGBA{c[0], c[1], c[2], c[3]}, 3)
}
