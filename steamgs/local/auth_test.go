package local_test

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBeginAuthSession(t *testing.T) {
	type prep func(h *harness) ([]byte, steamgs.SteamID)
	// fresh makes a ticket of a new user owning the app, for forID.
	fresh := func(forID func(h *harness) steamgs.Identity) prep {
		return func(h *harness) ([]byte, steamgs.SteamID) {
			user := h.user("alice")
			var id steamgs.Identity
			if forID != nil {
				id = forID(h)
			}
			return h.ticket(user, id), user
		}
	}
	// modified makes a ticket and changes it with f.
	modified := func(f func(b []byte) []byte) prep {
		return func(h *harness) ([]byte, steamgs.SteamID) {
			b, user := fresh(nil)(h)
			return f(b), user
		}
	}
	addr := func(ip netip.Addr, port uint16) func(h *harness) steamgs.Identity {
		return func(*harness) steamgs.Identity { return steamgs.Identity{Addr: netip.AddrPortFrom(ip, port)} }
	}
	tests := []struct {
		name        string
		mode        steamgs.ServerMode
		prep        prep
		wantBegin   steamgs.BeginAuthSessionResult
		wantVerdict steamgs.AuthSessionResponse
	}{
		{name: "ok", prep: fresh(nil), wantVerdict: steamgs.AuthOK},
		{name: "tampered app", prep: modified(func(b []byte) []byte { b[12] ^= 1; return b }), wantBegin: steamgs.BeginAuthInvalidTicket},
		{name: "tampered flags", prep: modified(func(b []byte) []byte { b[1] ^= 1; return b }), wantBegin: steamgs.BeginAuthInvalidTicket},
		{name: "tampered signature", prep: modified(func(b []byte) []byte { b[len(b)-1] ^= 0x80; return b }), wantBegin: steamgs.BeginAuthInvalidTicket},
		{name: "truncated", prep: modified(func(b []byte) []byte { return b[:len(b)-1] }), wantBegin: steamgs.BeginAuthInvalidTicket},
		{name: "garbage", prep: modified(func([]byte) []byte { return []byte("not a ticket") }), wantBegin: steamgs.BeginAuthInvalidVersion},
		{name: "unknown version", prep: modified(func(b []byte) []byte { b[0] = 2; return b }), wantBegin: steamgs.BeginAuthInvalidVersion},
		{
			name: "another user's ticket",
			prep: func(h *harness) ([]byte, steamgs.SteamID) {
				b, _ := fresh(nil)(h)
				return b, h.user("mallory")
			},
			wantBegin: steamgs.BeginAuthInvalidTicket,
		},
		{
			name: "forged with another key",
			prep: func(h *harness) ([]byte, steamgs.SteamID) {
				other, err := local.NewUniverse(local.Options{Clock: h.clock})
				require.NoError(h.t, err)
				user := other.AddUser(local.User{Name: "alice", Apps: []steamgs.AppID{app}})
				_, b, err := other.GetAuthSessionTicket(user, app, steamgs.Identity{})
				require.NoError(h.t, err)
				return b, user
			},
			wantBegin: steamgs.BeginAuthInvalidTicket,
		},
		{
			name: "duplicate",
			prep: func(h *harness) ([]byte, steamgs.SteamID) {
				b, user := fresh(nil)(h)
				res, err := h.srv.BeginAuthSession(b, user)
				require.NoError(h.t, err)
				require.Equal(h.t, steamgs.BeginAuthOK, res)
				return h.ticket(user, steamgs.Identity{}), user
			},
			wantBegin: steamgs.BeginAuthDuplicateRequest,
		},
		{
			name: "other app",
			prep: func(h *harness) ([]byte, steamgs.SteamID) {
				user := h.u.AddUser(local.User{Name: "alice", Apps: []steamgs.AppID{app, 999}})
				_, b, err := h.u.GetAuthSessionTicket(user, 999, steamgs.Identity{})
				require.NoError(h.t, err)
				return b, user
			},
			wantBegin: steamgs.BeginAuthGameMismatch,
		},
		{
			name: "expired",
			prep: func(h *harness) ([]byte, steamgs.SteamID) {
				b, user := fresh(nil)(h)
				h.clock.Advance(local.DefaultTicketLifetime)
				return b, user
			},
			wantBegin: steamgs.BeginAuthExpiredTicket,
		},
		{
			name: "not yet expired",
			prep: func(h *harness) ([]byte, steamgs.SteamID) {
				b, user := fresh(nil)(h)
				h.clock.Advance(local.DefaultTicketLifetime - time.Nanosecond)
				return b, user
			},
			wantVerdict: steamgs.AuthOK,
		},
		{
			name: "cancelled by the user",
			prep: func(h *harness) ([]byte, steamgs.SteamID) {
				user := h.user("alice")
				handle, b, err := h.u.GetAuthSessionTicket(user, app, steamgs.Identity{})
				require.NoError(h.t, err)
				h.u.CancelAuthTicket(user, handle)
				return b, user
			},
			wantVerdict: steamgs.AuthTicketCanceled,
		},
		{
			name: "used on another server",
			prep: func(h *harness) ([]byte, steamgs.SteamID) {
				b, user := fresh(nil)(h)
				other := h.server(steamgs.ModeAuthentication, steamgs.QueryPortShared)
				res, err := other.BeginAuthSession(b, user)
				require.NoError(h.t, err)
				require.Equal(h.t, steamgs.BeginAuthOK, res)
				h.clock.Advance(time.Second)
				assert.Equal(h.t, []steamgs.ValidateAuthTicketResponse{verdict(user, steamgs.AuthOK)}, verdicts(collect(other)))
				return b, user
			},
			wantVerdict: steamgs.AuthTicketInvalidAlreadyUsed,
		},
		{
			name: "reused on the same server",
			prep: func(h *harness) ([]byte, steamgs.SteamID) {
				b, user := fresh(nil)(h)
				_, err := h.srv.BeginAuthSession(b, user)
				require.NoError(h.t, err)
				require.NoError(h.t, h.srv.EndAuthSession(user))
				return b, user
			},
			wantVerdict: steamgs.AuthTicketInvalidAlreadyUsed,
		},
		{
			name: "logged in elsewhere after the ticket was made",
			prep: func(h *harness) ([]byte, steamgs.SteamID) {
				b, user := fresh(nil)(h)
				h.u.LogInElsewhere(user)
				return b, user
			},
			wantVerdict: steamgs.AuthLoggedInElseWhere,
		},
		{
			name: "ticket made after logging in elsewhere",
			prep: func(h *harness) ([]byte, steamgs.SteamID) {
				user := h.user("alice")
				h.u.LogInElsewhere(user)
				return h.ticket(user, steamgs.Identity{}), user
			},
			wantVerdict: steamgs.AuthOK,
		},
		{
			name: "VAC-banned on a secure server",
			mode: steamgs.ModeAuthenticationAndSecure,
			prep: func(h *harness) ([]byte, steamgs.SteamID) {
				user := h.u.AddUser(local.User{Name: "cheater", Apps: []steamgs.AppID{app}, VACBanned: true})
				return h.ticket(user, steamgs.Identity{}), user
			},
			wantVerdict: steamgs.AuthVACBanned,
		},
		{
			name: "banned by BanUser on a secure server",
			mode: steamgs.ModeAuthenticationAndSecure,
			prep: func(h *harness) ([]byte, steamgs.SteamID) {
				b, user := fresh(nil)(h)
				h.u.BanUser(user)
				return b, user
			},
			wantVerdict: steamgs.AuthVACBanned,
		},
		{
			name: "VAC-banned on a server that is not secure",
			mode: steamgs.ModeAuthentication,
			prep: func(h *harness) ([]byte, steamgs.SteamID) {
				user := h.u.AddUser(local.User{Name: "cheater", Apps: []steamgs.AppID{app}, VACBanned: true})
				return h.ticket(user, steamgs.Identity{}), user
			},
			wantVerdict: steamgs.AuthOK,
		},
		{
			name: "publisher ban",
			prep: func(h *harness) ([]byte, steamgs.SteamID) {
				user := h.u.AddUser(local.User{Name: "griefer", Apps: []steamgs.AppID{app}, PublisherBanned: true})
				return h.ticket(user, steamgs.Identity{}), user
			},
			wantVerdict: steamgs.AuthPublisherIssuedBan,
		},
		{
			name: "no licence",
			prep: func(h *harness) ([]byte, steamgs.SteamID) {
				user := h.u.AddUser(local.User{Name: "freeloader", Apps: []steamgs.AppID{dlc}})
				return h.ticket(user, steamgs.Identity{}), user
			},
			wantVerdict: steamgs.AuthNoLicenseOrExpired,
		},
		{
			name: "licence revoked after the ticket was made",
			prep: func(h *harness) ([]byte, steamgs.SteamID) {
				b, user := fresh(nil)(h)
				require.NoError(h.t, h.u.RevokeLicense(user, app))
				return b, user
			},
			wantVerdict: steamgs.AuthNoLicenseOrExpired,
		},
		{
			name:        "made for this server's Steam ID",
			prep:        fresh(func(h *harness) steamgs.Identity { return steamgs.Identity{SteamID: h.srv.SteamID()} }),
			wantVerdict: steamgs.AuthOK,
		},
		{
			name:        "made for another Steam ID",
			prep:        fresh(func(h *harness) steamgs.Identity { return steamgs.Identity{SteamID: h.u.TokenSteamID("elsewhere")} }),
			wantVerdict: steamgs.AuthTicketNetworkIdentityFailure,
		},
		{name: "made for this server's address", prep: fresh(addr(loopback, 27015)), wantVerdict: steamgs.AuthOK},
		{name: "made for another port", prep: fresh(addr(loopback, 27016)), wantVerdict: steamgs.AuthTicketNetworkIdentityFailure},
		{name: "made for another address", prep: fresh(addr(netip4(10, 0, 0, 1), 27015)), wantVerdict: steamgs.AuthTicketNetworkIdentityFailure},
		{name: "made for an IPv6 address", prep: fresh(addr(netip.IPv6Loopback(), 27015)), wantVerdict: steamgs.AuthTicketNetworkIdentityFailure},
		{
			name:        "made for a generic identity",
			prep:        fresh(func(*harness) steamgs.Identity { return steamgs.Identity{Generic: "lobby-7"} }),
			wantVerdict: steamgs.AuthTicketNetworkIdentityFailure,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mode := tt.mode
			if mode == steamgs.ModeInvalid {
				mode = steamgs.ModeAuthentication
			}
			h := newHarness(t, local.Options{Latency: time.Second}, mode)
			require.NoError(t, h.srv.LogOnAnonymous())
			h.clock.Advance(time.Second)
			h.run()
			b, user := tt.prep(h)
			h.run()
			res, err := h.srv.BeginAuthSession(b, user)
			require.NoError(t, err)
			assert.Equal(t, tt.wantBegin, res)
			if res != steamgs.BeginAuthOK || tt.name == "duplicate" {
				h.clock.Advance(time.Hour)
				if tt.name != "duplicate" {
					assert.Empty(t, verdicts(h.run()), "no verdict for a session that did not begin")
				}
				return
			}
			assert.Empty(t, h.run(), "verdict before the latency")
			h.clock.Advance(time.Second)
			assert.Equal(t, []steamgs.ValidateAuthTicketResponse{verdict(user, tt.wantVerdict)}, verdicts(h.run()))
			active, err := h.srv.UpdateUserData(user, "name", 1)
			require.NoError(t, err)
			assert.Equal(t, tt.wantVerdict == steamgs.AuthOK, active, "only an accepted user is an active player")
			lic, err := h.srv.UserHasLicenseForApp(user, app)
			require.NoError(t, err)
			assert.NotEqual(t, steamgs.NoAuth, lic, "a session began")
		})
	}
}

func TestSessionChanges(t *testing.T) {
	tests := []struct {
		name   string
		mode   steamgs.ServerMode
		change func(h *harness, user steamgs.SteamID, handle steamgs.AuthTicket)
		want   []steamgs.ValidateAuthTicketResponse // for user
	}{
		{
			name:   "BanUser on a secure server",
			mode:   steamgs.ModeAuthenticationAndSecure,
			change: func(h *harness, user steamgs.SteamID, _ steamgs.AuthTicket) { h.u.BanUser(user) },
			want:   []steamgs.ValidateAuthTicketResponse{{Response: steamgs.AuthVACBanned}},
		},
		{
			name:   "BanUser twice",
			mode:   steamgs.ModeAuthenticationAndSecure,
			change: func(h *harness, user steamgs.SteamID, _ steamgs.AuthTicket) { h.u.BanUser(user); h.u.BanUser(user) },
			want:   []steamgs.ValidateAuthTicketResponse{{Response: steamgs.AuthVACBanned}},
		},
		{
			name:   "BanUser on a server that is not secure",
			mode:   steamgs.ModeAuthentication,
			change: func(h *harness, user steamgs.SteamID, _ steamgs.AuthTicket) { h.u.BanUser(user) },
		},
		{
			name:   "LogInElsewhere",
			mode:   steamgs.ModeAuthentication,
			change: func(h *harness, user steamgs.SteamID, _ steamgs.AuthTicket) { h.u.LogInElsewhere(user) },
			want:   []steamgs.ValidateAuthTicketResponse{{Response: steamgs.AuthLoggedInElseWhere}},
		},
		{
			name: "CancelAuthTicket by the user",
			mode: steamgs.ModeAuthentication,
			change: func(h *harness, user steamgs.SteamID, handle steamgs.AuthTicket) {
				h.u.CancelAuthTicket(user, handle)
				h.u.CancelAuthTicket(user, handle) // twice: said once
			},
			want: []steamgs.ValidateAuthTicketResponse{{Response: steamgs.AuthTicketCanceled}},
		},
		{
			name: "CancelAuthTicket of another handle",
			mode: steamgs.ModeAuthentication,
			change: func(h *harness, user steamgs.SteamID, handle steamgs.AuthTicket) {
				h.u.CancelAuthTicket(user, handle+100)
			},
		},
		{
			name: "a ban of someone else",
			mode: steamgs.ModeAuthenticationAndSecure,
			change: func(h *harness, _ steamgs.SteamID, _ steamgs.AuthTicket) {
				h.u.BanUser(h.user("bob"))
				h.u.LogInElsewhere(h.user("carol"))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, local.Options{Latency: time.Second}, tt.mode)
			user := h.user("alice")
			handle, b, err := h.u.GetAuthSessionTicket(user, app, steamgs.Identity{})
			require.NoError(t, err)
			res, err := h.srv.BeginAuthSession(b, user)
			require.NoError(t, err)
			require.Equal(t, steamgs.BeginAuthOK, res)
			h.clock.Advance(time.Second)
			require.Equal(t, []steamgs.ValidateAuthTicketResponse{verdict(user, steamgs.AuthOK)}, verdicts(h.run()))

			tt.change(h, user, handle)
			assert.Empty(t, h.run(), "news before the latency")
			h.clock.Advance(time.Second)
			var want []steamgs.ValidateAuthTicketResponse
			for _, w := range tt.want {
				want = append(want, verdict(user, w.Response))
			}
			assert.Equal(t, want, verdicts(h.run()))
			active, err := h.srv.UpdateUserData(user, "alice", 3)
			require.NoError(t, err)
			assert.Equal(t, len(want) == 0, active, "a banned, moved or cancelled user is no longer active")
		})
	}
}

func TestVerdictOfEndedSessionIsDropped(t *testing.T) {
	h := newHarness(t, local.Options{Latency: time.Second}, steamgs.ModeAuthentication)
	user := h.user("alice")
	_, err := h.srv.BeginAuthSession(h.ticket(user, steamgs.Identity{}), user)
	require.NoError(t, err)
	require.NoError(t, h.srv.EndAuthSession(user))
	res, err := h.srv.BeginAuthSession(h.ticket(user, steamgs.Identity{}), user)
	require.NoError(t, err)
	require.Equal(t, steamgs.BeginAuthOK, res, "a new session after EndAuthSession")
	h.clock.Advance(time.Second)
	assert.Equal(t, []steamgs.ValidateAuthTicketResponse{verdict(user, steamgs.AuthOK)}, verdicts(h.run()),
		"only the verdict of the current session")
}

func TestUserHasLicenseForApp(t *testing.T) {
	h := newHarness(t, local.Options{}, steamgs.ModeAuthentication)
	user := h.user("alice")
	has := func(id steamgs.SteamID, a steamgs.AppID) steamgs.LicenseResult {
		r, err := h.srv.UserHasLicenseForApp(id, a)
		require.NoError(t, err)
		return r
	}
	assert.Equal(t, steamgs.NoAuth, has(user, app), "before BeginAuthSession")
	_, err := h.srv.BeginAuthSession(h.ticket(user, steamgs.Identity{}), user)
	require.NoError(t, err)
	for _, tc := range []struct {
		app  steamgs.AppID
		want steamgs.LicenseResult
	}{{app, steamgs.HasLicense}, {dlc, steamgs.HasLicense}, {999, steamgs.DoesNotHaveLicense}} {
		assert.Equal(t, tc.want, has(user, tc.app), "app %d", tc.app)
	}
	require.NoError(t, h.u.RevokeLicense(user, dlc))
	assert.Equal(t, steamgs.DoesNotHaveLicense, has(user, dlc), "the universe's records are current")
	require.NoError(t, h.u.GrantLicense(user, 999))
	assert.Equal(t, steamgs.HasLicense, has(user, 999))
	require.NoError(t, h.srv.EndAuthSession(user))
	assert.Equal(t, steamgs.NoAuth, has(user, app), "after EndAuthSession")
}

func TestServerGetAuthSessionTicket(t *testing.T) {
	h := newHarness(t, local.Options{Latency: time.Second}, steamgs.ModeAuthentication)
	_, _, err := h.srv.GetAuthSessionTicket(steamgs.Identity{})
	assert.True(t, errors.Is(err, steamgs.ErrUnsupported), "no ticket before the server has a Steam ID: %v", err)

	require.NoError(t, h.srv.LogOnAnonymous())
	h.clock.Advance(time.Second)
	h.run()
	peer := h.server(steamgs.ModeAuthentication, steamgs.QueryPortShared)
	h.logOn(peer)
	handle, b, err := h.srv.GetAuthSessionTicket(steamgs.Identity{SteamID: peer.SteamID()})
	require.NoError(t, err)
	require.NotZero(t, handle)
	tk, err := local.ParseTicket(b)
	require.NoError(t, err)
	assert.Equal(t, h.srv.SteamID(), tk.User)
	assert.Equal(t, app, tk.App)
	assert.Equal(t, handle, tk.Handle)
	assert.Equal(t, h.clock.Now(), tk.Issued.UTC())
	assert.Equal(t, local.DefaultTicketLifetime, tk.Expires.Sub(tk.Issued))
	assert.Equal(t, steamgs.Identity{SteamID: peer.SteamID()}, tk.For)
	assert.Empty(t, h.run(), "response after the latency")
	h.clock.Advance(time.Second)
	assert.Equal(t, []steamgs.Callback{steamgs.GetAuthSessionTicketResponse{Ticket: handle, Result: steamgs.ResultOK}}, h.run())

	// The peer checks it through its Conn (steamgs.Server takes individuals
	// only); then the server cancels it.
	raw(t, peer, func(ls *local.Server) {
		require.Equal(t, steamgs.BeginAuthOK, ls.BeginAuthSession(b, h.srv.SteamID()))
	})
	h.clock.Advance(time.Second)
	assert.Equal(t, []steamgs.ValidateAuthTicketResponse{verdict(h.srv.SteamID(), steamgs.AuthOK)}, verdicts(collect(peer)))
	require.NoError(t, h.srv.CancelAuthTicket(handle))
	h.clock.Advance(time.Second)
	assert.Equal(t, []steamgs.ValidateAuthTicketResponse{verdict(h.srv.SteamID(), steamgs.AuthTicketCanceled)}, verdicts(collect(peer)))
}

func TestTwoUniversesWithOneKey(t *testing.T) {
	key := local.KeyFromPassphrase("lan party")
	h := newHarness(t, local.Options{Key: key}, steamgs.ModeAuthenticationAndSecure)
	h.logOn(h.srv)
	client, err := local.NewUniverse(local.Options{Key: key, Clock: h.clock})
	require.NoError(t, err)

	alice := client.AddUser(local.User{Name: "alice", Apps: []steamgs.AppID{app, dlc}})
	assert.Equal(t, alice, h.u.AddUser(local.User{Name: "alice"}), "a name has one Steam ID per key")
	bob := client.AddUser(local.User{Name: "bob", Apps: []steamgs.AppID{app}, VACBanned: true})
	carol := client.AddUser(local.User{Name: "carol", Apps: []steamgs.AppID{app}, PublisherBanned: true})
	dave := client.AddUser(local.User{Name: "dave", Apps: []steamgs.AppID{dlc}})
	erin := client.AddUser(local.User{Name: "erin", Apps: []steamgs.AppID{app}})

	tickets := map[steamgs.SteamID][]byte{}
	handles := map[steamgs.SteamID]steamgs.AuthTicket{}
	for _, u := range []steamgs.SteamID{bob, carol, dave, erin} {
		handles[u], tickets[u], err = client.GetAuthSessionTicket(u, app, steamgs.Identity{SteamID: h.srv.SteamID()})
		require.NoError(t, err)
		res, err := h.srv.BeginAuthSession(tickets[u], u)
		require.NoError(t, err)
		require.Equal(t, steamgs.BeginAuthOK, res)
	}
	assert.ElementsMatch(t, []steamgs.ValidateAuthTicketResponse{
		verdict(bob, steamgs.AuthVACBanned),
		verdict(carol, steamgs.AuthPublisherIssuedBan),
		verdict(dave, steamgs.AuthNoLicenseOrExpired),
		verdict(erin, steamgs.AuthOK),
	}, verdicts(h.run()), "claims of users the server's universe does not know")

	// alice is known to the server's universe (no licences there): its
	// records win over the claims.
	_, b, err := client.GetAuthSessionTicket(alice, app, steamgs.Identity{})
	require.NoError(t, err)
	_, err = h.srv.BeginAuthSession(b, alice)
	require.NoError(t, err)
	assert.Equal(t, []steamgs.ValidateAuthTicketResponse{verdict(alice, steamgs.AuthNoLicenseOrExpired)}, verdicts(h.run()))

	lic, err := h.srv.UserHasLicenseForApp(dave, dlc)
	require.NoError(t, err)
	assert.Equal(t, steamgs.HasLicense, lic, "DLC from the ticket's claims")
	lic, err = h.srv.UserHasLicenseForApp(dave, app)
	require.NoError(t, err)
	assert.Equal(t, steamgs.DoesNotHaveLicense, lic)

	// Cancellation is seen by the universe that made the ticket only.
	client.CancelAuthTicket(erin, handles[erin])
	assert.Empty(t, h.run())
	// Reuse is caught within the server's universe.
	other := h.server(steamgs.ModeAuthenticationAndSecure, steamgs.QueryPortShared)
	h.logOn(other)
	_, b, err = client.GetAuthSessionTicket(erin, app, steamgs.Identity{})
	require.NoError(t, err)
	for i, want := range []steamgs.AuthSessionResponse{steamgs.AuthOK, steamgs.AuthTicketInvalidAlreadyUsed} {
		srv := []*steamgs.Server{other, other}[i]
		if i == 1 {
			require.NoError(t, srv.EndAuthSession(erin))
		}
		res, err := srv.BeginAuthSession(b, erin)
		require.NoError(t, err)
		require.Equal(t, steamgs.BeginAuthOK, res)
		assert.Equal(t, []steamgs.ValidateAuthTicketResponse{verdict(erin, want)}, verdicts(collect(srv)))
	}
	// A ban in the server's universe covers a user it does not know.
	h.u.BanUser(erin)
	assert.Equal(t, []steamgs.ValidateAuthTicketResponse{verdict(erin, steamgs.AuthVACBanned)}, verdicts(h.run()))
}

func TestDeprecatedFlow(t *testing.T) {
	h := newHarness(t, local.Options{Latency: time.Second}, steamgs.ModeAuthenticationAndSecure)
	h.logOn(h.srv)
	ip := netip4(192, 0, 2, 10)
	connect := func(b []byte) (steamgs.SteamID, bool) {
		//lint:ignore SA1019 the deprecated flow is what this test checks
		id, ok, err := h.srv.SendUserConnectAndAuthenticate(ip, b)
		require.NoError(t, err)
		return id, ok
	}

	id, ok := connect([]byte("not a ticket"))
	assert.False(t, ok)
	assert.Zero(t, id)

	alice := h.user("alice")
	id, ok = connect(h.ticket(alice, steamgs.Identity{}))
	require.True(t, ok)
	assert.Equal(t, alice, id)
	assert.Empty(t, h.run())
	h.clock.Advance(time.Second)
	assert.Equal(t, []steamgs.Callback{steamgs.ClientApproved{SteamID: alice, Owner: alice}}, h.run())
	active, err := h.srv.UpdateUserData(alice, "alice", 7)
	require.NoError(t, err)
	assert.True(t, active)
	lic, err := h.srv.UserHasLicenseForApp(alice, dlc)
	require.NoError(t, err)
	assert.Equal(t, steamgs.HasLicense, lic)

	denied := []struct {
		name   string
		user   steamgs.SteamID
		ticket func(user steamgs.SteamID) []byte
		reason steamgs.DenyReason
	}{
		{"no licence", h.u.AddUser(local.User{Name: "d1", Apps: []steamgs.AppID{dlc}}), nil, steamgs.DenyNoLicense},
		{"VAC ban", h.u.AddUser(local.User{Name: "d2", Apps: []steamgs.AppID{app}, VACBanned: true}), nil, steamgs.DenyCheater},
		{"publisher ban", h.u.AddUser(local.User{Name: "d3", Apps: []steamgs.AppID{app}, PublisherBanned: true}), nil, steamgs.DenyCheater},
		{"already connected", alice, nil, steamgs.DenyGeneric},
		{"other app", h.u.AddUser(local.User{Name: "d4", Apps: []steamgs.AppID{app}}), func(user steamgs.SteamID) []byte {
			_, b, err := h.u.GetAuthSessionTicket(user, 999, steamgs.Identity{})
			require.NoError(t, err)
			return b
		}, steamgs.DenyGeneric},
		{"another server", h.u.AddUser(local.User{Name: "d5", Apps: []steamgs.AppID{app}}), func(user steamgs.SteamID) []byte {
			return h.ticket(user, steamgs.Identity{Generic: "other"})
		}, steamgs.DenyGeneric},
		{"cancelled", h.u.AddUser(local.User{Name: "d6", Apps: []steamgs.AppID{app}}), func(user steamgs.SteamID) []byte {
			handle, b, err := h.u.GetAuthSessionTicket(user, app, steamgs.Identity{})
			require.NoError(t, err)
			h.u.CancelAuthTicket(user, handle)
			return b
		}, steamgs.DenyGeneric},
		{"logged in elsewhere", h.u.AddUser(local.User{Name: "d7", Apps: []steamgs.AppID{app}}), func(user steamgs.SteamID) []byte {
			b := h.ticket(user, steamgs.Identity{})
			h.u.LogInElsewhere(user)
			return b
		}, steamgs.DenyLoggedInElseWhere},
		{"expired", h.u.AddUser(local.User{Name: "d8", Apps: []steamgs.AppID{app}}), func(user steamgs.SteamID) []byte {
			b := h.ticket(user, steamgs.Identity{})
			h.clock.Advance(local.DefaultTicketLifetime)
			return b
		}, steamgs.DenyGeneric},
	}
	for _, d := range denied {
		t.Run(d.name, func(t *testing.T) {
			b := h.ticket(d.user, steamgs.Identity{})
			if d.ticket != nil {
				b = d.ticket(d.user)
			}
			id, ok := connect(b)
			require.True(t, ok)
			require.Equal(t, d.user, id)
			h.clock.Advance(time.Second)
			cbs := h.run()
			require.Len(t, cbs, 1)
			deny, isDeny := cbs[0].(steamgs.ClientDenied)
			require.True(t, isDeny, "%#v", cbs[0])
			assert.Equal(t, d.user, deny.SteamID)
			assert.Equal(t, d.reason, deny.Reason)
			assert.NotEmpty(t, deny.Message)
			if d.user != alice {
				active, err := h.srv.UpdateUserData(d.user, "x", 0)
				require.NoError(t, err)
				assert.False(t, active, "a denied user is not a player")
			}
		})
	}

	// Kicks mid-game.
	bob := h.user("bob")
	_, ok = connect(h.ticket(bob, steamgs.Identity{}))
	require.True(t, ok)
	h.clock.Advance(time.Second)
	h.run()
	h.u.BanUser(alice)
	h.u.LogInElsewhere(bob)
	h.clock.Advance(time.Second)
	assert.Equal(t, []steamgs.Callback{
		steamgs.ClientKick{SteamID: alice, Reason: steamgs.DenyCheater},
		steamgs.ClientKick{SteamID: bob, Reason: steamgs.DenyLoggedInElseWhere},
	}, h.run())
	active, err = h.srv.UpdateUserData(alice, "alice", 8)
	require.NoError(t, err)
	assert.False(t, active, "a kicked user is not a player")

	// SendUserDisconnect ends a connection.
	carol := h.user("carol")
	_, ok = connect(h.ticket(carol, steamgs.Identity{}))
	require.True(t, ok)
	//lint:ignore SA1019 the deprecated flow is what this test checks
	require.NoError(t, h.srv.SendUserDisconnect(carol))
	h.clock.Advance(time.Second)
	assert.Empty(t, h.run(), "no approval for a user who left")
	active, err = h.srv.UpdateUserData(carol, "carol", 1)
	require.NoError(t, err)
	assert.False(t, active)
}
