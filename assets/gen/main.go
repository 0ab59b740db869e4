// Command gen draws the example game's sprites and its font atlas into PNG
// files. It is run by go generate in the assets folder:
//
//	go generate ./assets
//
// The output is deterministic: running it again gives the same bytes, which
// the package's tests check against the committed files.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

func main() {
	dir := flag.String("o", ".", "directory to write the PNG files into")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// run writes every file into dir.
func run(dir string) error {
	files, err := Files()
	if err != nil {
		return err
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Files returns every generated file by name, PNG-encoded.
func Files() (map[string][]byte, error) {
	atlas, err := fontAtlas()
	if err != nil {
		return nil, err
	}
	imgs := map[string]image.Image{
		"player.png": player(),
		"bot.png":    bot(),
		"coin.png":   coin(),
		"tile.png":   tile(),
		"font.png":   atlas,
	}
	out := make(map[string][]byte, len(imgs))
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	for name, img := range imgs {
		var buf bytes.Buffer
		if err := enc.Encode(&buf, img); err != nil {
			return nil, fmt.Errorf("encode %s: %w", name, err)
		}
		out[name] = buf.Bytes()
	}
	return out, nil
}

// Colours of the sprites. Players and bots are drawn in white and greys so
// that the game can tint them with a per-player colour.
var (
	white     = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	rimGrey   = color.NRGBA{0x9a, 0x9a, 0x9a, 0xff}
	eyeDark   = color.NRGBA{0x20, 0x20, 0x28, 0xff}
	gold      = color.NRGBA{0xff, 0xc8, 0x2e, 0xff}
	goldDark  = color.NRGBA{0xb0, 0x78, 0x10, 0xff}
	goldLight = color.NRGBA{0xff, 0xf2, 0xb0, 0xff}
	floor     = color.NRGBA{0x1f, 0x2b, 0x3a, 0xff}
	floorLine = color.NRGBA{0x27, 0x36, 0x49, 0xff}
)

// inside reports whether a point is in a shape.
type inside func(x, y float64) bool

// fill paints c over img where the shape covers each pixel, with 4x4
// supersampling for smooth edges.
func fill(img *image.NRGBA, c color.NRGBA, in inside) {
	b := img.Bounds()
	for py := b.Min.Y; py < b.Max.Y; py++ {
		for px := b.Min.X; px < b.Max.X; px++ {
			n := 0
			for sy := range 4 {
				for sx := range 4 {
					if in(float64(px)+(float64(sx)+0.5)/4, float64(py)+(float64(sy)+0.5)/4) {
						n++
					}
				}
			}
			if n == 0 {
				continue
			}
			src := c
			src.A = uint8(int(c.A) * n / 16)
			draw.Draw(img, image.Rect(px, py, px+1, py+1), image.NewUniform(src), image.Point{}, draw.Over)
		}
	}
}

// disc is a filled circle.
func disc(cx, cy, r float64) inside {
	return func(x, y float64) bool { return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r }
}

// roundRect is a filled rectangle with rounded corners of radius r.
func roundRect(x0, y0, x1, y1, r float64) inside {
	return func(x, y float64) bool {
		if x < x0 || x > x1 || y < y0 || y > y1 {
			return false
		}
		cx := math.Max(x0+r, math.Min(x, x1-r))
		cy := math.Max(y0+r, math.Min(y, y1-r))
		return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r
	}
}

// player is a 24x24 round body with two eyes, white to be tinted.
func player() image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, 24, 24))
	fill(img, rimGrey, disc(12, 12, 11.5))
	fill(img, white, disc(12, 12, 9.5))
	fill(img, eyeDark, disc(8.5, 10, 2))
	fill(img, eyeDark, disc(15.5, 10, 2))
	fill(img, white, disc(9, 9.4, 0.7))
	fill(img, white, disc(16, 9.4, 0.7))
	return img
}

// bot is a 24x24 rounded robot head with an antenna and a visor, white to be
// tinted.
func bot() image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, 24, 24))
	fill(img, rimGrey, roundRect(11, 1, 13, 6, 0.5))
	fill(img, rimGrey, disc(12, 2, 2))
	fill(img, rimGrey, roundRect(2, 5, 22, 23, 4))
	fill(img, white, roundRect(4, 7, 20, 21, 3))
	fill(img, eyeDark, roundRect(6, 10, 18, 15, 2))
	fill(img, white, disc(9, 12.5, 1.3))
	fill(img, white, disc(15, 12.5, 1.3))
	fill(img, rimGrey, roundRect(8, 17, 16, 18.5, 0.5))
	return img
}

// coin is a 16x16 gold coin with a rim and a highlight.
func coin() image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, 16, 16))
	fill(img, goldDark, disc(8, 8, 7.5))
	fill(img, gold, disc(8, 8, 6))
	fill(img, goldDark, roundRect(7, 4, 9, 12, 0.8))
	fill(img, goldLight, disc(5.5, 5.5, 1.6))
	return img
}

// tile is a 32x32 floor tile with a faint grid line on two edges.
func tile() image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, 32, 32))
	draw.Draw(img, img.Bounds(), image.NewUniform(floor), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 0, 32, 1), image.NewUniform(floorLine), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 0, 1, 32), image.NewUniform(floorLine), image.Point{}, draw.Src)
	return img
}

// Layout of the font atlas: the printable ASCII characters ' ' to '~' in rows
// of atlasColumns cells; the assets package reads the cell size from the
// image's size.
const (
	atlasColumns = 16
	atlasRows    = 6
	firstRune    = ' '
	lastRune     = '~'
	fontSize     = 13
)

// fontAtlas renders Go Mono Bold's printable ASCII characters in white on a
// transparent background, one fixed-size cell each.
func fontAtlas() (image.Image, error) {
	f, err := opentype.Parse(gomonobold.TTF)
	if err != nil {
		return nil, err
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: fontSize, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, err
	}
	defer face.Close()
	adv, ok := face.GlyphAdvance('M')
	if !ok {
		return nil, fmt.Errorf("font has no glyph for M")
	}
	m := face.Metrics()
	cw := adv.Ceil()
	ch := (m.Ascent + m.Descent).Ceil()
	img := image.NewNRGBA(image.Rect(0, 0, cw*atlasColumns, ch*atlasRows))
	d := font.Drawer{Dst: img, Src: image.NewUniform(white), Face: face}
	for r := rune(firstRune); r <= lastRune; r++ {
		i := int(r - firstRune)
		x, y := i%atlasColumns*cw, i/atlasColumns*ch
		d.Dot = fixed.P(x, y+m.Ascent.Ceil())
		d.DrawString(string(r))
	}
	return img, nil
}
