package client

import (
	"context"
	"time"

	"github.com/steamgs/steamgs/example_game/game"
	"github.com/steamgs/steamgs/example_game/proto"
)

// Steer returns the buttons that take the player you of snap towards the
// nearest coin, and false when snap does not list the player (not approved
// yet, say) or no coin.
func Steer(snap *proto.Snapshot) (game.Buttons, bool) {
	me := snap.Find(snap.You)
	if me == nil || len(snap.Coins) == 0 {
		return 0, false
	}
	pos := game.Vec{X: me.X.Float(), Y: me.Y.Float()}
	best, bestD := game.Vec{}, float32(-1)
	for _, c := range snap.Coins {
		v := game.Vec{X: c.X.Float(), Y: c.Y.Float()}
		if d := pos.Sub(v).Len2(); bestD < 0 || d < bestD {
			best, bestD = v, d
		}
	}
	return game.Towards(pos, best), true
}

// RunBot plays on c until ctx ends or the connection does: every tick of the
// server it heads for the nearest coin of the newest snapshot and sends its
// buttons. It closes c before it returns, and returns nil when ctx ended and
// the connection's error otherwise.
func RunBot(ctx context.Context, c *Client) error {
	defer c.Close()
	rate := int(c.Welcome().TickRate)
	if rate <= 0 {
		rate = 30
	}
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	var snap proto.Snapshot
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-c.Done():
			return c.Err()
		case <-tick.C:
		}
		var b game.Buttons
		if c.Snapshot(&snap) > 0 {
			b, _ = Steer(&snap)
		}
		if err := c.SendInput(uint8(b)); err != nil {
			return err
		}
	}
}
