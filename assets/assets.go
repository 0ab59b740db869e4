// Package assets holds the example game's art: sprites and a font atlas,
// embedded with go:embed. The PNG files are drawn by the program in ./gen
// (go generate ./assets); nothing here imports Ebiten, so headless programs
// may use the images too.
//
// The font atlas is rendered from Go Mono Bold, one of the Go fonts, whose
// BSD licence asks that a program which ships it reproduce its notice: see
// [Notices] (the file THIRD_PARTY_NOTICES).
package assets

//go:generate go run ./gen -o .

import (
	"bytes"
	"embed"
	"fmt"
	"image"
	"image/png"
)

//go:embed *.png
var files embed.FS

//go:embed THIRD_PARTY_NOTICES
var notices string

// Notices returns the third-party notices of the assets: the licence of the
// Go fonts, which a game that ships the font atlas must reproduce (in its
// documentation, or on an about screen).
func Notices() string { return notices }

// Names of the embedded images.
const (
	Player = "player.png" // 24x24 round player body, white to be tinted
	Bot    = "bot.png"    // 24x24 robot head, white to be tinted
	Coin   = "coin.png"   // 16x16 gold coin
	Tile   = "tile.png"   // 32x32 arena floor tile
	Font   = "font.png"   // font atlas of printable ASCII, white glyphs
)

// Layout of the font atlas [Font]: the characters FirstRune to LastRune (' '
// to '~') in FontColumns columns and FontRows rows of equal cells, rendered
// from Go Mono Bold at 13 px.
const (
	FontColumns = 16
	FontRows    = 6
	FirstRune   = ' '
	LastRune    = '~'
)

// Names returns the names of every embedded image.
func Names() []string {
	return []string{Player, Bot, Coin, Tile, Font}
}

// Bytes returns the PNG bytes of the named image. The slice is shared: do
// not modify it.
func Bytes(name string) ([]byte, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("assets: no image named %q", name)
	}
	return b, nil
}

// Image decodes the named image.
func Image(name string) (image.Image, error) {
	b, err := Bytes(name)
	if err != nil {
		return nil, err
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("assets: decode %s: %w", name, err)
	}
	return img, nil
}

// GlyphSize returns the size of one cell of a font atlas image.
func GlyphSize(atlas image.Rectangle) (w, h int) {
	return atlas.Dx() / FontColumns, atlas.Dy() / FontRows
}

// Glyph returns the cell of r in a font atlas with the given bounds, and
// false when the atlas has no glyph for r (use '?' instead).
func Glyph(atlas image.Rectangle, r rune) (image.Rectangle, bool) {
	if r < FirstRune || r > LastRune {
		return image.Rectangle{}, false
	}
	w, h := GlyphSize(atlas)
	i := int(r - FirstRune)
	x, y := atlas.Min.X+i%FontColumns*w, atlas.Min.Y+i/FontColumns*h
	return image.Rect(x, y, x+w, y+h), true
}
