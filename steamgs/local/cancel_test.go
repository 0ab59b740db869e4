package local_test

import (
	"net/netip"
	"testing"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCancelInOneProcessReachesEveryServer(t *testing.T) {
	h := newHarness(t, local.Options{}, steamgs.ModeAuthentication)
	h.logOn(h.srv)
	other := h.server(steamgs.ModeAuthentication, steamgs.QueryPortShared)
	h.logOn(other)
	alice := h.user("alice")
	handle, tk, err := h.u.GetAuthSessionTicket(alice, app, steamgs.Identity{})
	require.NoError(t, err)
	res, err := h.srv.BeginAuthSession(tk, alice)
	require.NoError(t, err)
	require.Equal(t, steamgs.BeginAuthOK, res)
	assert.Equal(t, []steamgs.ValidateAuthTicketResponse{verdict(alice, steamgs.AuthOK)}, verdicts(h.run()))

	h.u.CancelAuthTicket(alice, handle)
	assert.Equal(t, []steamgs.ValidateAuthTicketResponse{verdict(alice, steamgs.AuthTicketCanceled)}, verdicts(h.run()),
		"the session that uses the ticket hears of the cancel")
	res, err = other.BeginAuthSession(tk, alice)
	require.NoError(t, err)
	require.Equal(t, steamgs.BeginAuthOK, res)
	assert.Equal(t, []steamgs.ValidateAuthTicketResponse{verdict(alice, steamgs.AuthTicketCanceled)}, verdicts(collect(other)),
		"another server of the process refuses the cancelled ticket")
}

func TestCancelNoticeAcrossProcesses(t *testing.T) {
	key := local.KeyFromPassphrase("lan party")
	h := newHarness(t, local.Options{Key: key}, steamgs.ModeAuthentication)
	h.logOn(h.srv)
	client, err := local.NewUniverse(local.Options{Key: key, Clock: h.clock})
	require.NoError(t, err)
	elsewhere, err := local.NewUniverse(local.Options{Key: key, Clock: h.clock})
	require.NoError(t, err)
	third := steamgs.NewServer(elsewhere)
	require.NoError(t, third.Init(steamgs.Config{IP: loopback, GamePort: 27016, QueryPort: steamgs.QueryPortShared,
		Mode: steamgs.ModeAuthentication, Version: "1", AppID: app}))
	t.Cleanup(func() { require.NoError(t, third.Shutdown()) })
	require.NoError(t, third.SetProduct("480"))
	require.NoError(t, third.SetGameDescription("Spacewar"))
	h.logOn(third)

	erin := client.AddUser(local.User{Name: "erin", Apps: []steamgs.AppID{app}})
	handle, tk, err := client.GetAuthSessionTicket(erin, app, steamgs.Identity{})
	require.NoError(t, err)
	res, err := h.srv.BeginAuthSession(tk, erin)
	require.NoError(t, err)
	require.Equal(t, steamgs.BeginAuthOK, res)
	assert.Equal(t, []steamgs.ValidateAuthTicketResponse{verdict(erin, steamgs.AuthOK)}, verdicts(h.run()))

	// The client cancels in its own universe; the server's cannot know.
	notice, err := client.CancelNotice(erin, handle)
	require.NoError(t, err)
	require.Len(t, notice, local.CancelNoticeLen)
	assert.Empty(t, h.run(), "no process learns of a cancel it was not told of")

	// Told, the server's universe ends the session and refuses the ticket.
	require.NoError(t, h.u.ApplyCancelNotice(notice))
	assert.Equal(t, []steamgs.ValidateAuthTicketResponse{verdict(erin, steamgs.AuthTicketCanceled)}, verdicts(h.run()))
	require.NoError(t, h.srv.EndAuthSession(erin))
	res, err = h.srv.BeginAuthSession(tk, erin)
	require.NoError(t, err)
	require.Equal(t, steamgs.BeginAuthOK, res)
	assert.Equal(t, []steamgs.ValidateAuthTicketResponse{verdict(erin, steamgs.AuthTicketCanceled)}, verdicts(h.run()))
	require.NoError(t, h.u.ApplyCancelNotice(notice), "a notice applied twice changes nothing")
	assert.Empty(t, h.run())

	// A third process, never told, still takes the ticket.
	res, err = third.BeginAuthSession(tk, erin)
	require.NoError(t, err)
	require.Equal(t, steamgs.BeginAuthOK, res)
	assert.Equal(t, []steamgs.ValidateAuthTicketResponse{verdict(erin, steamgs.AuthOK)}, verdicts(collect(third)))
}

func TestCancelNoticeRefusals(t *testing.T) {
	h := newHarness(t, local.Options{Key: local.KeyFromPassphrase("one")}, steamgs.ModeAuthentication)
	stranger, err := local.NewUniverse(local.Options{Key: local.KeyFromPassphrase("two"), Clock: h.clock})
	require.NoError(t, err)
	alice := stranger.AddUser(local.User{Name: "alice", Apps: []steamgs.AppID{app}})
	handle, _, err := stranger.GetAuthSessionTicket(alice, app, steamgs.Identity{})
	require.NoError(t, err)

	_, err = stranger.CancelNotice(alice, handle+1)
	require.ErrorIs(t, err, local.ErrUnknownAccount)
	assert.ErrorContains(t, err, "was not issued")
	notice, err := stranger.CancelNotice(alice, handle)
	require.NoError(t, err)

	err = h.u.ApplyCancelNotice(notice)
	require.ErrorIs(t, err, local.ErrInvalidTicket)
	assert.ErrorContains(t, err, "bad signature")

	for name, bad := range map[string][]byte{
		"empty":         nil,
		"short":         notice[:local.CancelNoticeLen-1],
		"long":          append(append([]byte(nil), notice...), 0),
		"a ticket":      append([]byte{local.TicketVersion}, notice[1:]...),
		"handle 0":      with(notice, 9, 0, 0, 0, 0),
		"no user":       with(notice, 1, 0, 0, 0, 0, 0, 0, 0, 0),
		"expires early": with(notice, 21, 0, 0, 0, 0, 0, 0, 0, 0),
	} {
		err := h.u.ApplyCancelNotice(bad)
		assert.ErrorIs(t, err, local.ErrInvalidTicket, name)
	}
}

// with returns a copy of b with the bytes at off replaced by v.
func with(b []byte, off int, v ...byte) []byte {
	c := append([]byte(nil), b...)
	copy(c[off:], v)
	return c
}

func TestIPBoundTickets(t *testing.T) {
	public := netip4(198, 51, 100, 7)
	tests := []struct {
		name   string
		public bool
		bindIP bool
		to     [4]byte
		want   steamgs.AuthSessionResponse
	}{
		{"everywhere, loopback", false, false, [4]byte{127, 0, 0, 1}, steamgs.AuthOK},
		{"everywhere, other loopback", false, false, [4]byte{127, 3, 2, 1}, steamgs.AuthOK},
		{"everywhere, foreign", false, false, [4]byte{203, 0, 113, 9}, steamgs.AuthTicketNetworkIdentityFailure},
		{"everywhere with public IP, public", true, false, public.As4(), steamgs.AuthOK},
		{"everywhere with public IP, foreign", true, false, [4]byte{203, 0, 113, 9}, steamgs.AuthTicketNetworkIdentityFailure},
		{"bound, own", false, true, [4]byte{127, 0, 0, 1}, steamgs.AuthOK},
		{"bound, other loopback", false, true, [4]byte{127, 3, 2, 1}, steamgs.AuthTicketNetworkIdentityFailure},
		{"bound with public IP, public", true, true, public.As4(), steamgs.AuthOK},
		{"bound with public IP, foreign", true, true, [4]byte{203, 0, 113, 9}, steamgs.AuthTicketNetworkIdentityFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := local.Options{}
			if tt.public {
				opts.PublicIP = public
			}
			h := newHarness(t, opts, steamgs.ModeAuthentication)
			cfg := steamgs.Config{GamePort: 27020, QueryPort: steamgs.QueryPortShared, Mode: steamgs.ModeAuthentication,
				Version: "1", AppID: app}
			if tt.bindIP {
				cfg.IP = loopback
			}
			srv := steamgs.NewServer(h.u)
			require.NoError(t, srv.Init(cfg))
			t.Cleanup(func() { require.NoError(t, srv.Shutdown()) })
			require.NoError(t, srv.SetProduct("480"))
			require.NoError(t, srv.SetGameDescription("Spacewar"))
			h.logOn(srv)
			user := h.user("player")
			tk := h.ticket(user, steamgs.Identity{Addr: netip.AddrPortFrom(netip.AddrFrom4(tt.to), 27020)})
			res, err := srv.BeginAuthSession(tk, user)
			require.NoError(t, err)
			require.Equal(t, steamgs.BeginAuthOK, res)
			assert.Equal(t, []steamgs.ValidateAuthTicketResponse{verdict(user, tt.want)}, verdicts(collect(srv)))

			var addrs []netip.Addr
			raw(t, srv, func(ls *local.Server) { addrs = ls.Addrs() })
			if tt.public {
				assert.Contains(t, addrs, public)
			}
			if tt.bindIP {
				assert.Contains(t, addrs, loopback)
			}
			assert.NotContains(t, addrs, netip.AddrFrom4([4]byte{203, 0, 113, 9}))
		})
	}
}
