package main

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/internal/shottest"
	"github.com/steamgs/steamgs/steamgs/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain runs the game itself when the test binary is started as a
// child: Ebiten must own the main thread. The tests of this package need a
// display (xvfb-run -a).
func TestMain(m *testing.M) {
	if args, ok := shottest.ChildArgs(); ok {
		if err := run(args); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

// TestScoreReachesSteam runs the game in its window and asks its server
// queries: A2S_INFO lists the server, and A2S_PLAYER the player, whose score
// goes up as the game plays.
func TestScoreReachesSteam(t *testing.T) {
	c := shottest.StartChild(t, "-query", "127.0.0.1:0")
	portRE := regexp.MustCompile(`answering A2S queries port=(\d+)`)
	var port string
	require.Eventually(t, func() bool {
		m := portRE.FindStringSubmatch(c.Out.String())
		if m != nil {
			port = m[1]
		}
		return m != nil
	}, time.Minute, 10*time.Millisecond, "no query port in the output:\n%s", c.Out.String())

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	q, err := query.Dial(ctx, "127.0.0.1:"+port)
	require.NoError(t, err)
	defer q.Close()
	var score uint32
	require.Eventually(t, func() bool {
		qctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		r, err := q.Players(qctx)
		if err != nil || len(r.Players) != 1 || r.Players[0].Name != "me" {
			return false
		}
		score = r.Players[0].Score
		return score >= 2
	}, time.Minute, 100*time.Millisecond, "A2S_PLAYER never listed the player with a score of 2; output:\n%s", c.Out.String())
	info, err := q.Info(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Minimal", info.Info.Name)
	assert.Equal(t, "Minimal steamgs game", info.Info.Game)
	assert.Equal(t, 1, info.Players)
	assert.Contains(t, c.Out.String(), "logged on to Steam", "the plugin's log")
}
