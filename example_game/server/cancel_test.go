package server_test

import (
	"sync"
	"testing"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/example_game/client"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yohamta/donburi"
)

// keptTickets is a client's Steam that keeps the last ticket it made.
type keptTickets struct {
	*local.Universe
	mu   sync.Mutex
	last []byte
}

func (k *keptTickets) GetAuthSessionTicket(user steamgs.SteamID, app steamgs.AppID, forID steamgs.Identity) (steamgs.AuthTicket, []byte, error) {
	h, t, err := k.Universe.GetAuthSessionTicket(user, app, forID)
	k.mu.Lock()
	k.last = append([]byte(nil), t...)
	k.mu.Unlock()
	return h, t, err
}

func (k *keptTickets) ticket() []byte {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.last
}

// withoutNotices is a client's Steam that cancels tickets without a notice:
// it hides the universe's CancelNotice.
type withoutNotices struct{ k *keptTickets }

func (w withoutNotices) GetAuthSessionTicket(user steamgs.SteamID, app steamgs.AppID, forID steamgs.Identity) (steamgs.AuthTicket, []byte, error) {
	return w.k.GetAuthSessionTicket(user, app, forID)
}

func (w withoutNotices) CancelAuthTicket(user steamgs.SteamID, ticket steamgs.AuthTicket) {
	w.k.CancelAuthTicket(user, ticket)
}

// TestCancelledTicketReachesServer plays the example's LAN setup over
// loopback: the client's Steam and the server's are two universes of the
// same key, as in two processes. The client cancels its ticket when it
// leaves and sends the cancel's notice with its Disconnect; the server's
// Steam then refuses the ticket as cancelled, as the real Steam does. Without
// the notice it could only say the ticket was used already.
func TestCancelledTicketReachesServer(t *testing.T) {
	tests := []struct {
		name    string
		tickets func(*keptTickets) client.Tickets
		want    steamgs.AuthSessionResponse
	}{
		{"with the notice", func(k *keptTickets) client.Tickets { return k }, steamgs.AuthTicketCanceled},
		{"without a notice", func(k *keptTickets) client.Tickets { return withoutNotices{k} }, steamgs.AuthTicketInvalidAlreadyUsed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, func(c *server.Config) { c.Backend = universe(t) })
			kept := &keptTickets{Universe: universe(t)}
			id := kept.AddUser(local.User{Name: "leaver", Apps: []steamgs.AppID{server.DefaultAppID}})
			c, err := dialWith(t, srv, tt.tickets(kept), id, "leaver", "")
			require.NoError(t, err)
			pump(t, srv, 500, func() bool {
				p, ok := findPlayer(status(srv), "leaver")
				return ok && p.Auth == components.AuthApproved
			})
			ticket := kept.ticket()
			require.NotEmpty(t, ticket, "the client's ticket")

			require.NoError(t, c.Close())
			pump(t, srv, 500, func() bool {
				_, ok := findPlayer(status(srv), "leaver")
				return !ok && !srv.Plugin().HasSession(id)
			})

			var got []steamgs.AuthSessionResponse
			srv.Plugin().Events().ValidateAuthTicketResponse.Subscribe(srv.World(),
				func(_ donburi.World, r steamgs.ValidateAuthTicketResponse) {
					if r.SteamID == id {
						got = append(got, r.Response)
					}
				})
			srv.Plugin().LockSteam()
			res, err := srv.Steam().BeginAuthSession(ticket, id)
			srv.Plugin().UnlockSteam()
			require.NoError(t, err)
			require.Equal(t, steamgs.BeginAuthOK, res, "BeginAuthSession with the old ticket")
			pump(t, srv, 500, func() bool { return len(got) > 0 })
			assert.Equal(t, []steamgs.AuthSessionResponse{tt.want}, got, "Steam's verdict on the old ticket")
			srv.Plugin().LockSteam()
			assert.NoError(t, srv.Steam().EndAuthSession(id))
			srv.Plugin().UnlockSteam()
		})
	}
}
