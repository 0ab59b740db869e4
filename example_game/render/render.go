// Package render draws the example game with Ebiten: the arena from a
// snapshot (package proto), the heads-up bar, the listen server's panel
// (a server.Status) and the windowed client's server browser. Its images come
// from package assets. It is the window side only: headless programs never
// import it, since a binary that links Ebiten needs a display to start.
package render

import (
	"fmt"
	"image"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
	"github.com/steamgs/steamgs/assets"
	"github.com/steamgs/steamgs/example_game/game"
	"github.com/steamgs/steamgs/example_game/proto"
)

// Screen layout in pixels: a bar at the top, the arena below it.
const (
	ScreenWidth  = game.DefaultWidth
	ScreenHeight = HUDHeight + game.DefaultHeight
	HUDHeight    = 32
)

// Colours of the drawing, exported so that tests can look for them.
var (
	// Floor is the arena floor's colour (most of a floor tile).
	Floor = color.RGBA{0x1f, 0x2b, 0x3a, 0xff}
	// Coin is the colour of a coin's face.
	Coin = color.RGBA{0xff, 0xc8, 0x2e, 0xff}
	// HUDBackground is the top bar's colour.
	HUDBackground = color.RGBA{0x10, 0x16, 0x20, 0xff}
	// Text is the colour of ordinary text.
	Text = color.RGBA{0xe8, 0xe8, 0xe8, 0xff}
	// Heading is the colour of titles and column headers.
	Heading = color.RGBA{0xff, 0xd7, 0x40, 0xff}
	// Dim is the colour of secondary text.
	Dim = color.RGBA{0x90, 0x9c, 0xac, 0xff}
	// PanelBackground is the panels' translucent backdrop.
	PanelBackground = color.RGBA{0x00, 0x00, 0x00, 0xc0}
)

// palette holds the players' colours; a player's is palette[ID % len].
var palette = [...]color.RGBA{
	{0x4f, 0xc3, 0xf7, 0xff}, // sky
	{0xef, 0x53, 0x50, 0xff}, // red
	{0x66, 0xbb, 0x6a, 0xff}, // green
	{0xab, 0x47, 0xbc, 0xff}, // purple
	{0xff, 0xa7, 0x26, 0xff}, // orange
	{0x26, 0xc6, 0xda, 0xff}, // cyan
	{0xec, 0x40, 0x7a, 0xff}, // pink
	{0xd4, 0xe1, 0x57, 0xff}, // lime
}

// PlayerColor returns the colour of the player with the given ID.
func PlayerColor(id uint16) color.RGBA { return palette[int(id)%len(palette)] }

// Renderer draws the game. Make it with New, after Ebiten started (in or
// after the first Update); it is used from Ebiten's goroutine only.
type Renderer struct {
	player, bot, coin, tile *ebiten.Image
	glyphs                  [assets.LastRune - assets.FirstRune + 1]*ebiten.Image
	gw, gh                  int
	op                      ebiten.DrawImageOptions
}

// New loads the images of package assets into Ebiten images.
func New() (*Renderer, error) {
	load := func(name string) (*ebiten.Image, image.Image, error) {
		img, err := assets.Image(name)
		if err != nil {
			return nil, nil, err
		}
		return ebiten.NewImageFromImage(img), img, nil
	}
	r := &Renderer{}
	var err error
	for _, a := range []struct {
		dst  **ebiten.Image
		name string
	}{{&r.player, assets.Player}, {&r.bot, assets.Bot}, {&r.coin, assets.Coin}, {&r.tile, assets.Tile}} {
		if *a.dst, _, err = load(a.name); err != nil {
			return nil, err
		}
	}
	font, src, err := load(assets.Font)
	if err != nil {
		return nil, err
	}
	r.gw, r.gh = assets.GlyphSize(src.Bounds())
	for c := rune(assets.FirstRune); c <= assets.LastRune; c++ {
		cell, _ := assets.Glyph(src.Bounds(), c)
		r.glyphs[c-assets.FirstRune] = font.SubImage(cell).(*ebiten.Image)
	}
	return r, nil
}

// GlyphSize returns the size of one character of text.
func (r *Renderer) GlyphSize() (w, h int) { return r.gw, r.gh }

// Text draws s with its top-left corner at (x, y), one fixed-width cell per
// character; characters the font lacks are drawn as '?'.
func (r *Renderer) Text(dst *ebiten.Image, s string, x, y float64, clr color.Color) {
	op := &r.op
	for _, c := range s {
		if c < assets.FirstRune || c > assets.LastRune {
			c = '?'
		}
		if c != ' ' {
			op.GeoM.Reset()
			op.GeoM.Translate(x, y)
			op.ColorScale.Reset()
			op.ColorScale.ScaleWithColor(clr)
			dst.DrawImage(r.glyphs[c-assets.FirstRune], op)
		}
		x += float64(r.gw)
	}
}

// draw draws img centred at (x, y), tinted by tint and faded by alpha.
func (r *Renderer) draw(dst, img *ebiten.Image, x, y float64, tint color.Color, alpha float32) {
	op := &r.op
	op.GeoM.Reset()
	b := img.Bounds()
	op.GeoM.Translate(x-float64(b.Dx())/2, y-float64(b.Dy())/2)
	op.ColorScale.Reset()
	if tint != nil {
		op.ColorScale.ScaleWithColor(tint)
	}
	op.ColorScale.ScaleAlpha(alpha)
	dst.DrawImage(img, op)
}

// World draws the arena of the given size (in pixels) below the bar, with
// the coins and players of snap. The player snap.You gets a white ring; a
// player waiting for Steam's approval is drawn faded.
func (r *Renderer) World(dst *ebiten.Image, snap *proto.Snapshot, width, height int) {
	top := float64(HUDHeight)
	tb := r.tile.Bounds()
	op := &r.op
	for y := 0; y < height; y += tb.Dy() {
		for x := 0; x < width; x += tb.Dx() {
			op.GeoM.Reset()
			op.GeoM.Translate(float64(x), top+float64(y))
			op.ColorScale.Reset()
			dst.DrawImage(r.tile, op)
		}
	}
	for _, c := range snap.Coins {
		r.draw(dst, r.coin, float64(c.X.Float()), top+float64(c.Y.Float()), nil, 1)
	}
	for i := range snap.Players {
		p := &snap.Players[i]
		x, y := float64(p.X.Float()), top+float64(p.Y.Float())
		img, alpha := r.player, float32(1)
		if p.Bot {
			img = r.bot
		}
		if p.Auth == proto.AuthPending {
			alpha = 0.4
		}
		if p.ID == snap.You {
			vector.StrokeCircle(dst, float32(x), float32(y), game.PlayerRadius+4, 2, color.White, true)
		}
		r.draw(dst, img, x, y, PlayerColor(p.ID), alpha)
		label := fmt.Sprintf("%s %d", p.Name, p.Score)
		r.Text(dst, label, x-float64(len(label)*r.gw)/2, y-game.PlayerRadius-float64(r.gh)-2, Text)
	}
}

// HUD draws the bar at the top: left on the left, right on the right.
func (r *Renderer) HUD(dst *ebiten.Image, left, right string) {
	vector.DrawFilledRect(dst, 0, 0, ScreenWidth, HUDHeight, HUDBackground, false)
	y := float64(HUDHeight-r.gh) / 2
	r.Text(dst, left, 8, y, Heading)
	r.Text(dst, right, float64(ScreenWidth-8-len(right)*r.gw), y, Dim)
}

// Panel draws a translucent box at (x, y) of the given size.
func (r *Renderer) Panel(dst *ebiten.Image, x, y, w, h float32) {
	vector.DrawFilledRect(dst, x, y, w, h, PanelBackground, false)
	vector.StrokeRect(dst, x, y, w, h, 1, Dim, false)
}
