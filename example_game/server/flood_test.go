package server_test

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/example_game/client"
	"github.com/steamgs/steamgs/example_game/internal/testio"
	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// connectFlood sends Connect messages with tickets from ticket as fast as it
// can from one socket, after one Hello for a valid token, each as another
// Steam ID, until stop is closed. It returns how many it sent.
func connectFlood(t *testing.T, srv *server.Server, ticket func(id steamgs.SteamID) []byte, stop <-chan struct{}, sent *atomic.Uint64) {
	t.Helper()
	conn, err := net.DialUDP("udp4", net.UDPAddrFromAddrPort(loopback), net.UDPAddrFromAddrPort(srv.Addr()))
	require.NoError(t, err)
	defer conn.Close()
	buf := make([]byte, proto.MaxPacketSize)
	var token uint64
	for token == 0 {
		select {
		case <-stop:
			return
		default:
		}
		_, _ = conn.Write(proto.Hello{Name: "flood"}.AppendTo(nil))
		_ = conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		n, err := conn.Read(buf)
		if err != nil {
			continue
		}
		if m, err := proto.ParseChallenge(buf[:n]); err == nil {
			token = m.Token
		}
	}
	out := make([]byte, 0, proto.MaxPacketSize)
	for i := uint32(1); ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		id := steamgs.IndividualID(1_000_000 + i)
		out = proto.Connect{Token: token, SteamID: uint64(id), Name: "flood", Ticket: ticket(id)}.AppendTo(out[:0])
		if _, err := conn.Write(out); err == nil {
			sent.Add(1)
		}
	}
}

func TestConnectFloodKeepsSlotsAndLog(t *testing.T) {
	u := universe(t)
	garbage := make([]byte, 200)
	_, _ = rand.Read(garbage)
	forged := func() func(steamgs.SteamID) []byte {
		user := u.AddUser(local.User{Name: "forger", Apps: []steamgs.AppID{server.DefaultAppID}})
		_, real, err := u.GetAuthSessionTicket(user, server.DefaultAppID, steamgs.Identity{})
		require.NoError(t, err)
		ticket := append([]byte(nil), real...)
		_, _ = rand.Read(ticket[len(ticket)-64:]) // a random signature
		return func(steamgs.SteamID) []byte { return ticket }
	}()
	for _, tc := range []struct {
		name   string
		ticket func(steamgs.SteamID) []byte
	}{
		{"garbage tickets", func(steamgs.SteamID) []byte { return garbage }},
		{"forged signatures", forged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs testio.SyncBuffer
			srv := newServer(t, func(c *server.Config) {
				c.Backend = u
				c.MaxPlayers = 1
				c.ConnectByPort = true // the players share 127.0.0.1 with the flood
				c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
			})
			pump(t, srv, 1000, func() bool { return status(srv).LoggedOn })
			stop := make(chan struct{})
			var sent atomic.Uint64
			var wg sync.WaitGroup
			wg.Add(1)
			go func() { defer wg.Done(); connectFlood(t, srv, tc.ticket, stop, &sent) }()
			start, before := time.Now(), len(logs.String())
			// 20 joins, one every 100 ms of flood, as players arrive.
			joins, ok := 0, 0
			for i := range 20 {
				next := start.Add(time.Duration(i) * 100 * time.Millisecond)
				pump(t, srv, 0, func() bool { return !time.Now().Before(next) })
				joins++
				c, err := dial(t, srv, u, "player"+strconv.Itoa(i), "")
				if assert.NoError(t, err, "join %d during the flood", i) {
					ok++
					_ = c.Close()
					pump(t, srv, 1000, func() bool { return len(status(srv).Players) == 0 })
				}
			}
			close(stop)
			wg.Wait()
			elapsed := time.Since(start)
			logRate := float64(len(logs.String())-before) / elapsed.Seconds()
			cn := srv.Counters()
			t.Logf("%d/%d joins, %d Connects sent in %v (%.0f/s), %d rate-limited, %d busy, log %.0f B/s",
				ok, joins, sent.Load(), elapsed.Round(time.Millisecond), float64(sent.Load())/elapsed.Seconds(),
				cn.RateLimited, cn.Busy, logRate)
			assert.Equal(t, joins, ok, "real joins during the flood")
			assert.Less(t, logRate, 10*1024.0, "log bytes per second during the flood")
			assert.NotZero(t, cn.RateLimited, "the flood was rate-limited")
		})
	}
}

// slowUniverse returns a universe of the tests' key on a manual clock,
// whose auth verdicts come only once the test advances the clock past the
// latency it sets.
func slowUniverse(t *testing.T) (*local.Universe, *local.ManualClock) {
	t.Helper()
	clock := local.NewManualClock(time.Now())
	u, err := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase(passphrase), Clock: clock})
	require.NoError(t, err)
	return u, clock
}

// joining is a client.Dial running in the background.
type joining struct {
	done chan struct{}
	c    *client.Client
	err  error
}

// startJoin dials srv as a new account name of u in the background; at the
// end of the test the dial is cancelled and the client closed.
func startJoin(t *testing.T, srv *server.Server, u *local.Universe, name string) *joining {
	t.Helper()
	id := u.AddUser(local.User{Name: name, Apps: []steamgs.AppID{server.DefaultAppID}})
	j := &joining{done: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		defer close(j.done)
		j.c, j.err = client.Dial(ctx, client.Config{Server: srv.Addr(), Name: name, SteamID: id,
			AppID: server.DefaultAppID, Tickets: u, Timeout: 10 * time.Second, Retry: 20 * time.Millisecond})
	}()
	t.Cleanup(func() {
		cancel()
		<-j.done
		if j.c != nil {
			_ = j.c.Close()
		}
	})
	return j
}

// finished reports whether the join ended.
func (j *joining) finished() bool {
	select {
	case <-j.done:
		return true
	default:
		return false
	}
}

// TestPendingShownNothing holds Steam's verdict back and checks that a
// client waiting for it gets no Welcome, appears in no other player's
// snapshot and takes no slot, until Steam approves it.
func TestPendingShownNothing(t *testing.T) {
	u, clock := slowUniverse(t)
	srv := newServer(t, func(c *server.Config) { c.Backend = u; c.MaxPlayers = 2; c.ConnectByPort = true })
	first, err := dial(t, srv, u, "first", "")
	require.NoError(t, err)
	u.SetLatency(time.Minute)

	j := startJoin(t, srv, u, "waiting")
	pump(t, srv, 1000, func() bool { _, ok := findPlayer(status(srv), "waiting"); return ok })
	p, _ := findPlayer(status(srv), "waiting")
	require.Equal(t, components.AuthPending, p.Auth, "Steam's verdict is held back")
	assert.Equal(t, 1, srv.Plugin().Status().Players, "the waiting client takes no slot")
	// A third player may still join while the second waits: the server
	// has two slots and one is taken.
	require.NoError(t, srv.Plugin().CheckJoin(steamgs.IndividualID(999)))

	for range 20 { // ticks while the verdict is held back
		srv.Tick()
		time.Sleep(5 * time.Millisecond)
	}
	if j.finished() { // j.err is set once the join finished
		require.Fail(t, "the waiting client was welcomed, or gave up, before Steam's verdict", "err %v", j.err)
	}
	var snap proto.Snapshot
	pump(t, srv, 1000, func() bool { return first.Snapshot(&snap) > 0 && snap.Tick >= uint32(srv.Game().Tick())-1 })
	require.Len(t, snap.Players, 1, "the first player's snapshot: %+v", snap.Players)
	assert.Equal(t, "first", snap.Players[0].Name)

	clock.Advance(time.Minute) // the verdict is due
	pump(t, srv, 3000, j.finished)
	require.NoError(t, j.err)
	pump(t, srv, 1000, func() bool { first.Snapshot(&snap); return len(snap.Players) == 2 })
	assert.Equal(t, 2, srv.Plugin().Status().Players, "approved: a slot taken")
}

// TestPendingOutlastsSilentTimeout holds Steam's verdict back for longer
// than the server's SilentTimeout: the waiting client, which repeats its
// Connect, is heard meanwhile and joins once Steam answers, admitted once.
func TestPendingOutlastsSilentTimeout(t *testing.T) {
	u, clock := slowUniverse(t)
	srv := newServer(t, func(c *server.Config) {
		c.Backend = u
		c.SilentTimeout = 100 * time.Millisecond
		c.ConnectLimit = -1 // the client repeats its Connect every 20 ms
	})
	pump(t, srv, 1000, func() bool { return status(srv).LoggedOn })
	u.SetLatency(time.Minute)
	j := startJoin(t, srv, u, "patient")
	pump(t, srv, 1000, func() bool { return srv.Plugin().Status().Pending == 1 })
	deadline := time.Now().Add(500 * time.Millisecond) // five silent time-outs
	pump(t, srv, 0, func() bool { return !time.Now().Before(deadline) })
	assert.Equal(t, 1, srv.Plugin().Status().Pending, "still waiting")
	assert.Zero(t, srv.Counters().Leaves, "dropped while waiting")
	clock.Advance(time.Minute)
	pump(t, srv, 3000, j.finished)
	require.NoError(t, j.err)
	assert.Equal(t, uint64(1), srv.Counters().Joins)
}

// TestPendingShareOfOneSource joins clients from one address (other ports)
// at once while Steam's verdicts are held back: on a quiet server they all
// wait together; once the pending table is half full the source's share
// applies and the next is turned away as busy.
func TestPendingShareOfOneSource(t *testing.T) {
	u, _ := slowUniverse(t)
	srv := newServer(t, func(c *server.Config) {
		c.Backend = u
		c.MaxPending, c.MaxPendingPerSource = 8, 2
		c.ConnectLimit = -1 // this test is about the table, not the rate
	})
	pump(t, srv, 1000, func() bool { return status(srv).LoggedOn })
	u.SetLatency(time.Minute)
	for i := range 4 {
		startJoin(t, srv, u, "friend"+strconv.Itoa(i))
	}
	pump(t, srv, 1000, func() bool { return srv.Plugin().Status().Pending == 4 })
	assert.Zero(t, srv.Counters().Busy, "four friends from one address on a quiet server")
	startJoin(t, srv, u, "fifth")
	pump(t, srv, 1000, func() bool { return srv.Counters().Busy > 0 })
	assert.Equal(t, 4, srv.Plugin().Status().Pending, "the table is half full: the source's share applies")
}
