package local_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// join begins an accepted session of user on h.srv and delivers its verdict.
func (h *harness) join(user steamgs.SteamID) {
	h.t.Helper()
	res, err := h.srv.BeginAuthSession(h.ticket(user, steamgs.Identity{}), user)
	require.NoError(h.t, err)
	require.Equal(h.t, steamgs.BeginAuthOK, res)
	h.clock.Advance(h.latency)
	require.Equal(h.t, []steamgs.ValidateAuthTicketResponse{verdict(user, steamgs.AuthOK)}, verdicts(h.run()))
}

func TestRequestUserGroupStatus(t *testing.T) {
	h := newHarness(t, local.Options{Latency: time.Second}, steamgs.ModeAuthentication)
	group := h.u.AddGroup("regulars")
	member, officer, outsider := h.user("m"), h.user("o"), h.user("x")
	require.NoError(t, h.u.SetGroupMember(member, group, true, false))
	require.NoError(t, h.u.SetGroupMember(officer, group, false, true))

	asked, err := h.srv.RequestUserGroupStatus(member, group)
	require.NoError(t, err)
	assert.False(t, asked, "not logged on")

	h.logOn(h.srv)
	unknown := steamgs.ClanID(12345)
	tests := []struct {
		user, group steamgs.SteamID
		want        steamgs.ClientGroupStatus
	}{
		{member, group, steamgs.ClientGroupStatus{SteamID: member, Group: group, Member: true}},
		{officer, group, steamgs.ClientGroupStatus{SteamID: officer, Group: group, Member: true, Officer: true}},
		{outsider, group, steamgs.ClientGroupStatus{SteamID: outsider, Group: group}},
		{member, unknown, steamgs.ClientGroupStatus{SteamID: member, Group: unknown}},
	}
	for _, tt := range tests {
		asked, err := h.srv.RequestUserGroupStatus(tt.user, tt.group)
		require.NoError(t, err)
		assert.True(t, asked)
		assert.Empty(t, h.run())
		h.clock.Advance(time.Second)
		assert.Equal(t, []steamgs.Callback{tt.want}, h.run())
	}

	require.NoError(t, h.u.SetGroupMember(member, group, false, false))
	_, err = h.srv.RequestUserGroupStatus(member, group)
	require.NoError(t, err)
	h.clock.Advance(time.Second)
	assert.Equal(t, []steamgs.Callback{steamgs.ClientGroupStatus{SteamID: member, Group: group}}, h.run(), "left the group")
}

func TestAssociateWithClanAndCompatibility(t *testing.T) {
	h := newHarness(t, local.Options{}, steamgs.ModeAuthentication)
	clan := h.u.AddGroup("clan")
	alice, bob, carol, dave := h.user("alice"), h.user("bob"), h.user("carol"), h.user("dave")
	require.NoError(t, h.u.SetGroupMember(alice, clan, true, false))
	require.NoError(t, h.u.SetRecommendsAgainst(alice, dave))
	require.NoError(t, h.u.SetRecommendsAgainst(bob, dave))
	require.NoError(t, h.u.SetRecommendsAgainst(dave, carol))
	require.NoError(t, h.u.SetRecommendsAgainst(dave, bob))

	// Not logged on.
	call, err := h.srv.AssociateWithClan(clan)
	require.NoError(t, err)
	require.NotZero(t, call)
	assert.Equal(t, []steamgs.Callback{steamgs.AssociateClan{Call: call, Result: steamgs.ResultNotLoggedOn}}, h.run())
	call, err = h.srv.ComputeNewPlayerCompatibility(dave)
	require.NoError(t, err)
	assert.Equal(t, []steamgs.Callback{steamgs.PlayerCompat{Call: call, Result: steamgs.ResultNotLoggedOn, Candidate: dave}}, h.run())

	h.logOn(h.srv)
	call, err = h.srv.AssociateWithClan(steamgs.ClanID(777))
	require.NoError(t, err)
	assert.Equal(t, []steamgs.Callback{steamgs.AssociateClan{Call: call, Result: steamgs.ResultAccountNotFound}}, h.run())

	for _, u := range []steamgs.SteamID{alice, bob, carol} {
		h.join(u)
	}
	h.srv.CreateUnauthenticatedUserConnection()
	compat := func() steamgs.PlayerCompat {
		call, err := h.srv.ComputeNewPlayerCompatibility(dave)
		require.NoError(t, err)
		cbs := h.run()
		require.Len(t, cbs, 1)
		pc := cbs[0].(steamgs.PlayerCompat)
		assert.Equal(t, call, pc.Call)
		return pc
	}
	pc := compat()
	assert.Equal(t, steamgs.PlayerCompat{Call: pc.Call, Result: steamgs.ResultOK, PlayersThatDontLikeCandidate: 2,
		PlayersThatCandidateDoesntLike: 2, Candidate: dave}, pc, "no clan associated yet")

	call, err = h.srv.AssociateWithClan(clan)
	require.NoError(t, err)
	assert.Equal(t, []steamgs.Callback{steamgs.AssociateClan{Call: call, Result: steamgs.ResultOK}}, h.run())
	pc = compat()
	assert.Equal(t, steamgs.PlayerCompat{Call: pc.Call, Result: steamgs.ResultOK, PlayersThatDontLikeCandidate: 2,
		PlayersThatCandidateDoesntLike: 2, ClanPlayersThatDontLikeCandidate: 1, Candidate: dave}, pc)

	require.NoError(t, h.srv.EndAuthSession(bob))
	pc = compat()
	assert.Equal(t, steamgs.PlayerCompat{Call: pc.Call, Result: steamgs.ResultOK, PlayersThatDontLikeCandidate: 1,
		PlayersThatCandidateDoesntLike: 1, ClanPlayersThatDontLikeCandidate: 1, Candidate: dave}, pc, "bob left")
	assert.NotEqual(t, call, pc.Call, "every call has its own handle")
}

func TestGetGameplayStats(t *testing.T) {
	h := newHarness(t, local.Options{}, steamgs.ModeAuthentication)
	stats := func(srv *steamgs.Server) steamgs.GameplayStats {
		//lint:ignore SA1019 the local back end still answers it
		require.NoError(t, srv.GetGameplayStats())
		cbs := collect(srv)
		require.Len(t, cbs, 1)
		return cbs[0].(steamgs.GameplayStats)
	}
	assert.Equal(t, steamgs.GameplayStats{Result: steamgs.ResultNotLoggedOn}, stats(h.srv))

	h.u.AddToken("A", local.TokenValid)
	h.u.AddToken("B", local.TokenValid)
	require.NoError(t, h.srv.LogOn("A"))
	h.run()
	alice, bob, carol := h.user("alice"), h.user("bob"), h.user("carol")
	h.join(alice)
	h.join(bob)
	h.clock.Advance(3 * time.Minute)
	require.NoError(t, h.srv.EndAuthSession(alice))
	h.clock.Advance(2 * time.Minute)
	assert.Equal(t, steamgs.GameplayStats{Result: steamgs.ResultOK, TotalConnects: 2, TotalMinutesPlayed: 3 + 5}, stats(h.srv),
		"alice played 3 minutes, bob 5 so far")
	require.NoError(t, h.srv.EndAuthSession(bob))

	other := h.server(steamgs.ModeAuthentication, steamgs.QueryPortShared)
	require.NoError(t, other.LogOn("B"))
	collect(other)
	res, err := other.BeginAuthSession(h.ticket(carol, steamgs.Identity{}), carol)
	require.NoError(t, err)
	require.Equal(t, steamgs.BeginAuthOK, res)
	collect(other)
	h.clock.Advance(20 * time.Minute)
	require.NoError(t, other.EndAuthSession(carol))
	assert.Equal(t, steamgs.GameplayStats{Result: steamgs.ResultOK, TotalConnects: 1, TotalMinutesPlayed: 20}, stats(other))
	assert.Equal(t, steamgs.GameplayStats{Result: steamgs.ResultOK, Rank: 1, TotalConnects: 2, TotalMinutesPlayed: 8}, stats(h.srv),
		"second by minutes played")

	// The records belong to the account: a server logged on with the same
	// token later sees them.
	require.NoError(t, h.srv.Shutdown())
	again := h.server(steamgs.ModeAuthentication, steamgs.QueryPortShared)
	require.NoError(t, again.LogOn("A"))
	collect(again)
	assert.Equal(t, steamgs.GameplayStats{Result: steamgs.ResultOK, Rank: 1, TotalConnects: 2, TotalMinutesPlayed: 8}, stats(again))
}

func TestGetServerReputation(t *testing.T) {
	h := newHarness(t, local.Options{}, steamgs.ModeAuthentication)
	reputation := func() steamgs.ServerReputation {
		//lint:ignore SA1019 the local back end still answers it
		call, err := h.srv.GetServerReputation()
		require.NoError(t, err)
		cbs := h.run()
		require.Len(t, cbs, 1)
		r := cbs[0].(steamgs.ServerReputation)
		assert.Equal(t, call, r.Call)
		return r
	}
	r := reputation()
	assert.Equal(t, steamgs.ResultNotLoggedOn, r.Result)

	h.logOn(h.srv)
	r = reputation()
	assert.Equal(t, steamgs.ServerReputation{Call: r.Call, Result: steamgs.ResultOK}, r)

	h.u.SetReputation(h.srv.SteamID(), local.Reputation{Score: 42})
	r = reputation()
	assert.Equal(t, steamgs.ServerReputation{Call: r.Call, Result: steamgs.ResultOK, Score: 42}, r)

	until := start.Add(24 * time.Hour)
	h.u.SetReputation(h.srv.SteamID(), local.Reputation{Score: 1, Banned: true, BanExpires: until})
	r = reputation()
	assert.Equal(t, steamgs.ServerReputation{Call: r.Call, Result: steamgs.ResultOK, Score: 1, Banned: true,
		BannedAddr: netip.AddrPortFrom(loopback, 27015), BannedGameID: uint64(app), BanExpires: until}, r)
}

func TestUpdateUserData(t *testing.T) {
	h := newHarness(t, local.Options{Latency: time.Second}, steamgs.ModeAuthentication)
	update := func(id steamgs.SteamID) bool {
		ok, err := h.srv.UpdateUserData(id, "name", 5)
		require.NoError(t, err)
		return ok
	}
	alice := h.user("alice")
	assert.False(t, update(alice), "not a player")
	_, err := h.srv.BeginAuthSession(h.ticket(alice, steamgs.Identity{}), alice)
	require.NoError(t, err)
	assert.True(t, update(alice), "a session whose verdict is on its way")
	h.clock.Advance(time.Second)
	h.run()
	assert.True(t, update(alice))
	require.NoError(t, h.srv.EndAuthSession(alice))
	assert.False(t, update(alice), "ended")

	bot, err := h.srv.CreateUnauthenticatedUserConnection()
	require.NoError(t, err)
	assert.True(t, update(bot), "an unauthenticated connection is a player at once")
	require.NoError(t, h.srv.EndAuthSession(bot))
	assert.False(t, update(bot))
	lic, err := h.srv.UserHasLicenseForApp(alice, app)
	require.NoError(t, err)
	assert.Equal(t, steamgs.NoAuth, lic)
}

func TestCreateUnauthenticatedUserConnection(t *testing.T) {
	h := newHarness(t, local.Options{}, steamgs.ModeAuthentication)
	other := h.server(steamgs.ModeAuthentication, steamgs.QueryPortShared)
	seen := map[steamgs.SteamID]bool{}
	for _, srv := range []*steamgs.Server{h.srv, h.srv, other} {
		id, err := srv.CreateUnauthenticatedUserConnection()
		require.NoError(t, err)
		assert.True(t, id.IsValid())
		assert.Equal(t, steamgs.AccountTypeAnonUser, id.Type())
		assert.Equal(t, steamgs.UniversePublic, id.Universe())
		assert.False(t, seen[id], "unique in the universe")
		seen[id] = true
		raw(t, srv, func(ls *local.Server) {
			assert.Equal(t, steamgs.NoAuth, ls.UserHasLicenseForApp(id, app), "no ticket, no licence check")
		})
	}
	assert.Empty(t, h.run(), "no callback")
}
