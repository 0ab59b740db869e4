package local

import (
	"crypto/ed25519"
	"strconv"
	"testing"
	"time"

	"github.com/steamgs/steamgs/steamgs"
)

// benchServer returns a universe on a manual clock and a logged-on server of
// app 480 on it, sharing the game socket.
func benchServer(b *testing.B) (*Universe, *Server) {
	b.Helper()
	u, err := NewUniverse(Options{Key: KeyFromPassphrase("bench"), Clock: NewManualClock(time.Unix(1700000000, 0))})
	if err != nil {
		b.Fatal(err)
	}
	conn, err := u.Open(steamgs.Config{GamePort: 27015, QueryPort: steamgs.QueryPortShared,
		Mode: steamgs.ModeAuthenticationAndSecure, Version: "1.0.0.0", AppID: 480})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Shutdown() })
	s := conn.(*Server)
	s.LogOnAnonymous()
	s.RunCallbacks(func(steamgs.Callback) {})
	if !s.LoggedOn() {
		b.Fatal("not logged on")
	}
	return u, s
}

// benchTicket makes a ticket of a user owning the game and two DLC, made for
// the server's Steam ID: the size of a typical ticket.
func benchTicket(b *testing.B, u *Universe, s *Server, user steamgs.SteamID) []byte {
	_, t, err := u.GetAuthSessionTicket(user, 480, steamgs.Identity{SteamID: s.SteamID()})
	if err != nil {
		b.Fatal(err)
	}
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
		if n != 0 {
			b.Fatalf("%d callbacks delivered", n)
		}
	})
}

func BenchmarkUpdateUserData(b *testing.B) {
	u, s := benchServer(b)
	user := u.AddUser(User{Name: "player", Apps: []steamgs.AppID{480}})
	if s.BeginAuthSession(benchTicket(b, u, s, user), user) != steamgs.BeginAuthOK {
		b.Fatal("no session")
	}
	s.RunCallbacks(func(steamgs.Callback) {})
	b.ReportAllocs()
	var score uint32
	for b.Loop() {
		score++
		if !s.UpdateUserData(user, "player", score) {
			b.Fatal("not an active player")
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
		if s.BeginAuthSession(tickets[i], user) != steamgs.BeginAuthOK {
			b.Fatal("refused")
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
			b.Fatal("bad signature")
		}
	}
}
