package local

import (
	"testing"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTicketRecordsStayBounded checks that the records of issued and used
// tickets forget expired tickets, so that a long-running universe does not
// grow without end.
func TestTicketRecordsStayBounded(t *testing.T) {
	clock := NewManualClock(time.Unix(1700000000, 0))
	u, err := NewUniverse(Options{Clock: clock, TicketLifetime: time.Minute})
	require.NoError(t, err)
	conn, err := u.Open(steamgs.Config{GamePort: 27015, QueryPort: steamgs.QueryPortShared,
		Mode: steamgs.ModeAuthentication, Version: "1", AppID: 480})
	require.NoError(t, err)
	defer func() { require.NoError(t, conn.Close()) }()
	user := u.AddUser(User{Name: "alice", Apps: []steamgs.AppID{480}})
	for range 10 {
		for range 300 {
			_, b, err := u.GetAuthSessionTicket(user, 480, steamgs.Identity{})
			require.NoError(t, err)
			require.Equal(t, steamgs.BeginAuthOK, conn.BeginAuthSession(b, user))
			conn.EndAuthSession(user)
		}
		clock.Advance(2 * time.Minute)
	}
	u.mu.Lock()
	issued, used := len(u.issued), len(u.used)
	u.mu.Unlock()
	// Live tickets are at most the last 300; the sweep runs when a table
	// doubles, so each holds at most about twice that.
	assert.LessOrEqual(t, issued, 2*300+256, "issued tickets recorded after 3000")
	assert.LessOrEqual(t, used, 2*300+256, "used tickets recorded after 3000")
	for _, s := range []TokenState{TokenValid, TokenExpired, TokenBanned, 7} {
		assert.NotEmpty(t, s.String(), "TokenState(%d) has no name", int(s))
	}
}
