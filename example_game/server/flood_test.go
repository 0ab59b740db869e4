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

// TestPendingShownNothing slows Steam's verdicts down and checks that a
// client waiting for its verdict gets no Welcome, appears in no other
// player's snapshot and takes no slot, until Steam approves it.
func TestPendingShownNothing(t *testing.T) {
	u := universe(t)
	srv := newServer(t, func(c *server.Config) { c.Backend = u; c.MaxPlayers = 2; c.ConnectByPort = true })
	first, err := dial(t, srv, u, "first", "")
	require.NoError(t, err)
	u.SetLatency(time.Second)

	id := u.AddUser(local.User{Name: "waiting", Apps: []steamgs.AppID{server.DefaultAppID}})
	welcomed := make(chan error, 1)
	go func() {
		c, err := client.Dial(context.Background(), client.Config{Server: srv.Addr(), Name: "waiting", SteamID: id,
			AppID: server.DefaultAppID, Tickets: u, Timeout: 10 * time.Second, Retry: 20 * time.Millisecond})
		if c != nil {
			t.Cleanup(func() { _ = c.Close() })
		}
		welcomed <- err
	}()
	pump(t, srv, 1000, func() bool { _, ok := findPlayer(status(srv), "waiting"); return ok })
	st := status(srv)
	p, _ := findPlayer(st, "waiting")
	require.Equal(t, components.AuthPending, p.Auth, "Steam's verdict is slowed down")
	assert.Equal(t, 1, srv.Plugin().Status().Players, "the waiting client takes no slot")
	// A third player may still join while the second waits: the server
	// has two slots and one is taken.
	require.NoError(t, srv.Plugin().CheckJoin(steamgs.IndividualID(999)))

	var snap proto.Snapshot
	for range 20 { // some ticks while the verdict is on its way
		srv.Tick()
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case err := <-welcomed:
		require.Fail(t, "the waiting client was welcomed before Steam's verdict", "err %v", err)
	default:
	}
	pump(t, srv, 1000, func() bool { return first.Snapshot(&snap) > 0 && snap.Tick >= uint32(srv.Game().Tick())-1 })
	require.Len(t, snap.Players, 1, "the first player's snapshot: %+v", snap.Players)
	assert.Equal(t, "first", snap.Players[0].Name)

	pump(t, srv, 3000, func() bool {
		select {
		case err := <-welcomed:
			require.NoError(t, err)
			return true
		default:
			return false
		}
	})
	pump(t, srv, 1000, func() bool { first.Snapshot(&snap); return len(snap.Players) == 2 })
	assert.Equal(t, 2, srv.Plugin().Status().Players, "approved: a slot taken")
}

// TestPendingShareOfOneSource joins clients from one address (other ports)
// at once while Steam's verdicts are slowed down: on a quiet server they
// all wait together; once the pending table is half full the source's
// share applies and the next is turned away as busy.
func TestPendingShareOfOneSource(t *testing.T) {
	u := universe(t)
	srv := newServer(t, func(c *server.Config) {
		c.Backend = u
		c.MaxPending, c.MaxPendingPerSource = 8, 2
		c.ConnectLimit = -1 // this test is about the table, not the rate
	})
	pump(t, srv, 1000, func() bool { return status(srv).LoggedOn })
	u.SetLatency(2 * time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	join := func(name string) {
		id := u.AddUser(local.User{Name: name, Apps: []steamgs.AppID{server.DefaultAppID}})
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := client.Dial(ctx, client.Config{Server: srv.Addr(), Name: name, SteamID: id,
				AppID: server.DefaultAppID, Tickets: u, Timeout: 10 * time.Second, Retry: 20 * time.Millisecond})
			if err == nil {
				_ = c.Close()
			}
		}()
	}
	for i := range 4 {
		join("friend" + strconv.Itoa(i))
	}
	pump(t, srv, 1000, func() bool { return srv.Plugin().Status().Pending == 4 })
	assert.Zero(t, srv.Counters().Busy, "four friends from one address on a quiet server")
	join("fifth")
	pump(t, srv, 1000, func() bool { return srv.Counters().Busy > 0 })
	assert.Equal(t, 4, srv.Plugin().Status().Pending, "the table is half full: the source's share applies")
}
