package local

import (
	"testing"
	"time"

	"github.com/steamgs/steamgs/steamgs"
)

// TestTicketRecordsStayBounded checks that the records of issued and used
// tickets forget expired tickets, so that a long-running universe does not
// grow without end.
func TestTicketRecordsStayBounded(t *testing.T) {
	clock := NewManualClock(time.Unix(1700000000, 0))
	u, err := NewUniverse(Options{Clock: clock, TicketLifetime: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := u.Open(steamgs.Config{GamePort: 27015, QueryPort: steamgs.QueryPortShared,
		Mode: steamgs.ModeAuthentication, Version: "1", AppID: 480})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Shutdown()
	user := u.AddUser(User{Name: "alice", Apps: []steamgs.AppID{480}})
	for range 10 {
		for range 300 {
			_, b, err := u.GetAuthSessionTicket(user, 480, steamgs.Identity{})
			if err != nil {
				t.Fatal(err)
			}
			if r := conn.BeginAuthSession(b, user); r != steamgs.BeginAuthOK {
				t.Fatalf("BeginAuthSession = %v", r)
			}
			conn.EndAuthSession(user)
		}
		clock.Advance(2 * time.Minute)
	}
	u.mu.Lock()
	issued, used := len(u.issued), len(u.used)
	u.mu.Unlock()
	// Live tickets are at most the last 300; the sweep runs when a table
	// doubles, so each holds at most about twice that.
	if issued > 2*300+256 || used > 2*300+256 {
		t.Fatalf("%d issued and %d used tickets recorded after 3000, want at most %d", issued, used, 2*300+256)
	}
	for _, s := range []TokenState{TokenValid, TokenExpired, TokenBanned, 7} {
		if s.String() == "" {
			t.Fatalf("TokenState(%d) has no name", int(s))
		}
	}
}
