package assets_test

import (
	"fmt"
	"image"
	"testing"

	"github.com/steamgs/steamgs/assets"
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
	if len(tests) != len(assets.Names()) {
		t.Fatalf("test covers %d images, package has %d", len(tests), len(assets.Names()))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := assets.Image(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds().Size(); got != image.Pt(tt.w, tt.h) {
				t.Errorf("size %v, want %dx%d", got, tt.w, tt.h)
			}
			opaque := 0
			b := img.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					if _, _, _, a := img.At(x, y).RGBA(); a == 0xffff {
						opaque++
					}
				}
			}
			if opaque == 0 {
				t.Errorf("%s has no opaque pixel", tt.name)
			}
		})
	}
}

func TestUnknownImage(t *testing.T) {
	if _, err := assets.Image("missing.png"); err == nil {
		t.Fatal("Image(missing.png) returned no error")
	}
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
		if got != tt.want || ok != tt.ok {
			t.Errorf("Glyph(%q) = %v, %v; want %v, %v", tt.r, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFontGlyphsDrawn(t *testing.T) {
	img, err := assets.Image(assets.Font)
	if err != nil {
		t.Fatal(err)
	}
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
		if (r == ' ') != (lit == 0) {
			t.Errorf("glyph %q has %d lit pixels", r, lit)
		}
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
