// Package window holds what the example's two windowed programs, the listen
// server and the client, share on Ebiten's side: opening the window, the
// direction buttons the keyboard holds, and writing a frame to a PNG file for
// the screenshot tests. It imports Ebiten, so headless programs never import it.
package window

import (
	"image"
	"image/png"
	"os"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/steamgs/steamgs/example_game/game"
	"github.com/steamgs/steamgs/example_game/render"
)

// Run opens a window titled title at one and a half times the game's screen
// size and runs g in it until g ends, ticking tps times a second (0 keeps
// Ebiten's default). The game keeps ticking while the window is unfocused, so
// a listen server serves its clients from the background.
func Run(g ebiten.Game, title string, tps int) error {
	ebiten.SetWindowTitle(title)
	ebiten.SetWindowSize(render.ScreenWidth*3/2, render.ScreenHeight*3/2)
	if tps > 0 {
		ebiten.SetTPS(tps)
	}
	ebiten.SetRunnableOnUnfocused(true)
	return ebiten.RunGame(g)
}

// Buttons returns the direction buttons the keyboard holds: the arrow keys
// or WASD. Call it from Update.
func Buttons() game.Buttons {
	var b game.Buttons
	for _, k := range [...]struct {
		arrow, letter ebiten.Key
		b             game.Buttons
	}{
		{ebiten.KeyArrowUp, ebiten.KeyW, game.Up},
		{ebiten.KeyArrowDown, ebiten.KeyS, game.Down},
		{ebiten.KeyArrowLeft, ebiten.KeyA, game.Left},
		{ebiten.KeyArrowRight, ebiten.KeyD, game.Right},
	} {
		if ebiten.IsKeyPressed(k.arrow) || ebiten.IsKeyPressed(k.letter) {
			b |= k.b
		}
	}
	return b
}

// Screenshot writes the pixels of screen to path as a PNG. Call it at the
// end of Draw: ReadPixels returns the frame as drawn so far.
func Screenshot(screen *ebiten.Image, path string) error {
	img := image.NewRGBA(screen.Bounds())
	screen.ReadPixels(img.Pix)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
