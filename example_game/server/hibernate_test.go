package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/client"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitFor polls cond until it holds, failing after a generous bound.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		require.False(t, time.Now().After(deadline), "waiting for %s", what)
		time.Sleep(5 * time.Millisecond)
	}
}

// An empty server hibernates once logged on; a client's first datagram
// wakes it (the idle interval is an hour, so only waking lets the join
// finish), it stays awake while the player plays, and sleeps again once the
// player left.
func TestHibernation(t *testing.T) {
	u := universe(t)
	srv := newServer(t, func(c *server.Config) { c.IdleInterval = time.Hour })
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- srv.Run(ctx) }()
	defer func() {
		cancel()
		require.NoError(t, <-ran)
	}()
	waitFor(t, "hibernation", srv.Hibernating)

	id := u.AddUser(local.User{Name: "sleeper", Apps: []steamgs.AppID{server.DefaultAppID}})
	c, err := client.Dial(context.Background(), client.Config{Server: srv.Addr(), Name: "sleeper",
		SteamID: id, AppID: server.DefaultAppID, Tickets: u, Timeout: 10 * time.Second, Retry: 20 * time.Millisecond})
	require.NoError(t, err, "join a hibernating server")
	waitFor(t, "awake with a player", func() bool { return !srv.Hibernating() })
	require.NoError(t, c.Close())
	waitFor(t, "hibernation after the player left", srv.Hibernating)
}

func TestIdleIntervalCheck(t *testing.T) {
	err := server.Config{Backend: universe(t), IdleInterval: -time.Second}.Check()
	assert.ErrorIs(t, err, server.ErrConfig)
	assert.ErrorContains(t, err, "idle interval is -1s")
}

// The time a join takes on an awake server and on a hibernating one (idle
// interval one hour, so only the wake-up lets it finish), for the record.
func TestJoinLatencyAfterHibernation(t *testing.T) {
	u := universe(t)
	for _, idle := range []time.Duration{0, time.Hour} {
		srv := newServer(t, func(c *server.Config) { c.IdleInterval = idle })
		ctx, cancel := context.WithCancel(context.Background())
		ran := make(chan error, 1)
		go func() { ran <- srv.Run(ctx) }()
		var took []time.Duration
		for i := range 5 {
			if idle > 0 {
				waitFor(t, "hibernation", srv.Hibernating)
			} else {
				time.Sleep(50 * time.Millisecond) // let the last leave settle
			}
			name := "lat-" + idle.String() + "-" + string(rune('a'+i))
			id := u.AddUser(local.User{Name: name, Apps: []steamgs.AppID{server.DefaultAppID}})
			start := time.Now()
			c, err := client.Dial(context.Background(), client.Config{Server: srv.Addr(), Name: name,
				SteamID: id, AppID: server.DefaultAppID, Tickets: u, Timeout: 10 * time.Second, Retry: 20 * time.Millisecond})
			took = append(took, time.Since(start))
			require.NoError(t, err)
			require.NoError(t, c.Close())
		}
		cancel()
		require.NoError(t, <-ran)
		t.Logf("idle interval %v: joins took %v", idle, took)
	}
}
