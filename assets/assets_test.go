package assets_test

import (
	"fmt"
	"image"
	"testing"

	"github.com/steamgs/steamgs/assets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestImages(t *testing.T) {
	tests := []struct {
		name string
		w, h int
	}{
		{assets.Player, 24, 24},
		{assets.Bot, 24, 24},
		{assets.Coin, 16, 16},
		{assets.Tile, 32, 32},
		{assets.Font, 8 * assets.FontColumns, 16 * assets.FontRows},
	}
	require.Len(t, assets.Names(), len(tests), "images the test covers")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := assets.Image(tt.name)
			require.NoError(t, err)
			assert.Equal(t, image.Pt(tt.w, tt.h), img.Bounds().Size(), "size")
			opaque := 0
			b := img.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					if _, _, _, a := img.At(x, y).RGBA(); a == 0xffff {
						opaque++
					}
				}
			}
			assert.NotZero(t, opaque, "%s has no opaque pixel", tt.name)
		})
	}
}

func TestUnknownImage(t *testing.T) {
	_, err := assets.Image("missing.png")
	require.Error(t, err, "Image(missing.png)")
}

func TestGlyph(t *testing.T) {
	atlas := image.Rect(0, 0, 128, 96)
	tests := []struct {
		r    rune
		want image.Rectangle
		ok   bool
	}{
		{' ', image.Rect(0, 0, 8, 16), true},
		{'!', image.Rect(8, 0, 16, 16), true},
		{'0', image.Rect(0, 16, 8, 32), true},
		{'A', image.Rect(8, 32, 16, 48), true},
		{'~', image.Rect(112, 80, 120, 96), true},
		{'\n', image.Rectangle{}, false},
		{'é', image.Rectangle{}, false},
	}
	for _, tt := range tests {
		got, ok := assets.Glyph(atlas, tt.r)
		assert.Equal(t, tt.want, got, "Glyph(%q)", tt.r)
		assert.Equal(t, tt.ok, ok, "Glyph(%q)'s ok", tt.r)
	}
}

func TestFontGlyphsDrawn(t *testing.T) {
	img, err := assets.Image(assets.Font)
	require.NoError(t, err)
	for r := rune(assets.FirstRune); r <= assets.LastRune; r++ {
		cell, _ := assets.Glyph(img.Bounds(), r)
		lit := 0
		for y := cell.Min.Y; y < cell.Max.Y; y++ {
			for x := cell.Min.X; x < cell.Max.X; x++ {
				if _, _, _, a := img.At(x, y).RGBA(); a > 0x8000 {
					lit++
				}
			}
		}
		assert.Equal(t, r == ' ', lit == 0, "glyph %q has %d lit pixels", r, lit)
	}
}

func ExampleImage() {
	img, err := assets.Image(assets.Coin)
	if err != nil {
		panic(err)
	}
	fmt.Println(img.Bounds().Dx(), "x", img.Bounds().Dy())
	// Output: 16 x 16
}

// TestNotices checks the Go fonts' notice ships with the assets: their
// copyright line, the conditions and the disclaimer of their BSD licence.
func TestNotices(t *testing.T) {
	n := assets.Notices()
	for _, want := range []string{
		"font.png", "Go Mono Bold",
		"Copyright (c) 2016 Bigelow & Holmes Inc.. All rights reserved.",
		"Redistributions of source code must retain the above copyright notice",
		"Redistributions in binary form must reproduce the above copyright notice",
		"Neither the name of Google Inc. nor the names of its contributors may be",
		"DISCLAIMER: THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS",
	} {
		assert.Contains(t, n, want)
	}
}
