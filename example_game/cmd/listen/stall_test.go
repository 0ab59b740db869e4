//go:build unix

package main

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/steamgs/steamgs/example_game/client"
	"github.com/steamgs/steamgs/example_game/internal/shottest"
	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStallNeitherBurstsNorExpires stops the listen server's whole process
// (SIGSTOP) for longer than its client time-out and checks the stall rule
// holds under Ebiten's clock too: after SIGCONT the clients, whose own
// time-out exceeds the stall, are kept, and the game does not run a burst
// of catch-up ticks for the time it was stopped.
func TestStallNeitherBurstsNorExpires(t *testing.T) {
	const passphrase = "listen stall test"
	c := shottest.StartChild(t, "-ip", "127.0.0.1", "-port", "0", "-bots", "0", "-universe", passphrase,
		"-client-timeout", "2s", "-silent-timeout", "2s")
	addrRE := regexp.MustCompile(`msg="server started".* addr=(\S+)`)
	var addr string
	require.Eventually(t, func() bool {
		m := addrRE.FindStringSubmatch(c.Out.String())
		if m == nil || !strings.Contains(c.Out.String(), "local player joined") {
			return false
		}
		addr = m[1]
		return true
	}, time.Minute, 20*time.Millisecond, "the listen server did not start; output:\n%s", c.Out.String())

	u, err := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase(passphrase)})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var clients []*client.Client
	for _, name := range []string{"alice", "bob"} {
		id := u.AddUser(local.User{Name: name, Apps: []steamgs.AppID{server.DefaultAppID}})
		cl, err := client.Dial(ctx, client.Config{Server: mustAddr(t, addr), Name: name, SteamID: id,
			AppID: server.DefaultAppID, Tickets: u, Timeout: 15 * time.Second})
		require.NoError(t, err, "%s joins; output:\n%s", name, c.Out.String())
		clients = append(clients, cl)
		wg.Add(1)
		go func() { // input every 30 ms, as a player's client sends it
			defer wg.Done()
			tk := time.NewTicker(30 * time.Millisecond)
			defer tk.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-tk.C:
					_ = cl.SendInput(1)
				}
			}
		}()
	}
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		for _, cl := range clients {
			_ = cl.Close()
		}
	})
	var snap proto.Snapshot
	tick := func() uint32 { clients[0].Snapshot(&snap); return snap.Tick }
	require.Eventually(t, func() bool { return tick() > 30 }, 30*time.Second, 10*time.Millisecond, "snapshots")

	before := tick()
	require.NoError(t, c.Cmd.Process.Signal(syscall.SIGSTOP))
	const stall = 4 * time.Second // twice the server's client time-out
	time.Sleep(stall)
	require.NoError(t, c.Cmd.Process.Signal(syscall.SIGCONT))
	resumed := time.Now()
	time.Sleep(time.Second)
	ran := time.Since(resumed)
	after := tick()

	// 30 ticks a second of running time, with room for a loaded machine and
	// Ebiten's own catch-up of a few late frames; a catch-up of the stall
	// would add some 120 ticks.
	limit := uint32(ran.Seconds()*30*1.5) + 10
	t.Logf("%d ticks in the %v after a %v stall (limit %d)", after-before, ran.Round(time.Millisecond), stall, limit)
	assert.LessOrEqual(t, after-before, limit, "ticks in the %v after the stall (a burst of catch-up ticks?)", ran.Round(time.Millisecond))
	for i, cl := range clients {
		select {
		case <-cl.Done():
			assert.Fail(t, "a client was dropped after the stall", "client %d: %v; output:\n%s", i, cl.Err(), c.Out.String())
		default:
		}
	}
	assert.NotContains(t, c.Out.String(), "timed out", "the server's log")

	require.NoError(t, c.Cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-c.Done:
	case <-time.After(time.Minute):
		require.Fail(t, "no exit after SIGTERM", "output:\n%s", c.Out.String())
	}
	assert.NoError(t, c.Err, "exit status; output:\n%s", c.Out.String())
}
