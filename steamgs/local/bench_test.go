package local

import (
	"crypto/ed25519"
	"strconv"
	"testing"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/stretchr/testify/require"
)

// benchServer returns a universe on a manual clock and a logged-on server of
// app 480 on it, sharing the game socket.
func benchServer(b *testing.B) (*Universe, *Server) {
	b.Helper()
	u, err := NewUniverse(Options{Key: KeyFromPassphrase("bench"), Clock: NewManualClock(time.Unix(1700000000, 0))})
	require.NoError(b, err)
	conn, err := u.Open(steamgs.Config{GamePort: 27015, QueryPort: steamgs.QueryPortShared,
		Mode: steamgs.ModeAuthenticationAndSecure, Version: "1.0.0.0", AppID: 480})
	require.NoError(b, err)
	b.Cleanup(func() { require.NoError(b, conn.Close()) })
	s := conn.(*Server)
	s.LogOn("")
	s.RunCallbacks(func(steamgs.Callback) {})
	require.True(b, s.Status().LoggedOn, "not logged on")
	return u, s
}

// benchTicket makes a ticket of a user owning the game and two DLC, made for
// the server's Steam ID: the size of a typical ticket.
func benchTicket(b *testing.B, u *Universe, s *Server, user steamgs.SteamID) []byte {
	_, t, err := u.GetAuthSessionTicket(user, 480, steamgs.Identity{SteamID: s.Status().SteamID})
	require.NoError(b, err)
	return t
}

func BenchmarkRunCallbacks(b *testing.B) {
	b.Run("idle", func(b *testing.B) {
		_, s := benchServer(b)
		n := 0
		emit := func(steamgs.Callback) { n++ }
		b.ReportAllocs()
		for b.Loop() {
			s.RunCallbacks(emit)
		}
		require.Zero(b, n, "callbacks delivered")
	})
}

func BenchmarkUpdateUserData(b *testing.B) {
	u, s := benchServer(b)
	user := u.AddUser(User{Name: "player", Apps: []steamgs.AppID{480}})
	require.Equal(b, steamgs.BeginAuthOK, s.BeginAuthSession(benchTicket(b, u, s, user), user), "no session")
	s.RunCallbacks(func(steamgs.Callback) {})
	b.ReportAllocs()
	var score uint32
	for b.Loop() {
		score++
		if !s.UpdateUserData(user, "player", score) {
			require.FailNow(b, "not an active player")
		}
	}
}

func BenchmarkBeginAuthSession(b *testing.B) {
	u, s := benchServer(b)
	users := make([]steamgs.SteamID, 64)
	for i := range users {
		users[i] = u.AddUser(User{Name: "player" + strconv.Itoa(i), Apps: []steamgs.AppID{480, 481, 482}})
	}
	// Fresh tickets, made before the timer starts: a ticket is good once.
	tickets := make([][]byte, b.N)
	for i := range tickets {
		tickets[i] = benchTicket(b, u, s, users[i%len(users)])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		user := users[i%len(users)]
		if r := s.BeginAuthSession(tickets[i], user); r != steamgs.BeginAuthOK {
			require.FailNow(b, "refused", "BeginAuthSession = %v", r)
		}
		s.EndAuthSession(user)
	}
}

func BenchmarkEd25519Verify(b *testing.B) {
	u, s := benchServer(b)
	user := u.AddUser(User{Name: "player", Apps: []steamgs.AppID{480, 481, 482}})
	t := benchTicket(b, u, s, user)
	msg, sig := t[:len(t)-ed25519.SignatureSize], t[len(t)-ed25519.SignatureSize:]
	b.ReportAllocs()
	for b.Loop() {
		if !ed25519.Verify(u.pub, msg, sig) {
			require.FailNow(b, "bad signature")
		}
	}
}
