package systems_test

import (
	"testing"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/systems"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var carol = steamgs.IndividualID(1003)

// approve queues Steam's approval of ids.
func (r *rig) approve(ids ...steamgs.SteamID) {
	for _, id := range ids {
		r.conn.queue = append(r.conn.queue, steamgs.ValidateAuthTicketResponse{SteamID: id, Response: steamgs.AuthOK, Owner: id})
	}
}

// counts returns the status's player counts and the systems' own.
func (r *rig) counts() (players, pending int) {
	st := r.sys.Status()
	assert.Equal(r.t, r.sys.Approved(), st.Players, "Status.Players against Approved")
	assert.Equal(r.t, r.sys.Pending(), st.Pending, "Status.Pending against Pending")
	return st.Players, st.Pending
}

func TestPendingTakesNoSlot(t *testing.T) {
	r := newRig(t, systems.RemoveRejected)
	r.sys.Settings().SetMaxPlayerCount(2)
	r.tick(1)
	// Three players wait for Steam at once on a two-slot server: waiting
	// takes no slot.
	for _, id := range []steamgs.SteamID{alice, bob, carol} {
		require.NoError(t, r.sys.CheckJoin(id), "%v may join: nobody is approved yet", id)
		r.sys.Join(id, id.String(), []byte("t"), t0)
	}
	r.tick(1)
	players, pending := r.counts()
	assert.Equal(t, 0, players)
	assert.Equal(t, 3, pending)

	r.approve(alice, bob)
	r.tick(1)
	players, pending = r.counts()
	assert.Equal(t, 2, players)
	assert.Equal(t, 1, pending)
	dave := steamgs.IndividualID(1004)
	err := r.sys.CheckJoin(dave)
	require.ErrorIs(t, err, systems.ErrServerFull)
	assert.EqualError(t, err, "systems: server full: 2 slots taken by players and bots, limit 2 (max players)")

	// Carol's approval comes when both slots are taken: she is denied, and
	// her session ends.
	r.auth = nil
	r.approve(carol)
	assert.Equal(t, []string{"EndAuthSession(" + carol.String() + ")"}, r.calls())
	require.Len(t, r.auth, 1)
	assert.Equal(t, components.AuthDenied, r.auth[0].State)
	assert.Equal(t, components.FromServerFull, r.auth[0].Reason.Source)
	assert.Equal(t, "server full: 2 slots taken by players and bots, limit 2", r.auth[0].Reason.String())
	players, pending = r.counts()
	assert.Equal(t, 2, players)
	assert.Equal(t, 0, pending)

	// A kick frees a slot; the kicked player no longer counts.
	r.conn.queue = append(r.conn.queue, steamgs.ClientKick{SteamID: alice, Reason: steamgs.DenyCheater})
	r.tick(1)
	players, _ = r.counts()
	assert.Equal(t, 1, players)
	require.NoError(t, r.sys.CheckJoin(dave))

	// Bots take slots.
	r.sys.AddBot("bot", t0)
	r.tick(1)
	players, _ = r.counts()
	assert.Equal(t, 2, players)
	assert.ErrorIs(t, r.sys.CheckJoin(dave), systems.ErrServerFull)
}

func TestCheckJoinRefuses(t *testing.T) {
	r := newRig(t, systems.KeepRejected)
	clan := steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeClan, 0, 7)
	assert.ErrorIs(t, r.sys.CheckJoin(clan), steamgs.ErrInvalidSteamID)
	assert.ErrorIs(t, r.sys.CheckJoin(0), steamgs.ErrInvalidSteamID)

	r.sys.Join(alice, "alice", []byte("t"), t0)
	err := r.sys.CheckJoin(alice)
	require.ErrorIs(t, err, systems.ErrAlreadyJoined, "arrived, its session not begun yet")
	assert.Contains(t, err.Error(), alice.String())
	r.tick(1)
	assert.ErrorIs(t, r.sys.CheckJoin(alice), systems.ErrAlreadyJoined, "pending")
	r.approve(alice)
	r.tick(1)
	assert.ErrorIs(t, r.sys.CheckJoin(alice), systems.ErrAlreadyJoined, "approved")
	assert.NoError(t, r.sys.CheckJoin(bob))
}

func TestPendingFull(t *testing.T) {
	r := newRigWith(t, func(c *systems.Config) { c.MaxPending = 2 })
	r.sys.Join(alice, "alice", []byte("t"), t0)
	require.NoError(t, r.sys.CheckJoin(bob))
	r.sys.Join(bob, "bob", []byte("t"), t0)
	// Arrivals count before their sessions begin, and after.
	err := r.sys.CheckJoin(carol)
	require.ErrorIs(t, err, systems.ErrPendingFull)
	assert.EqualError(t, err, "systems: too many players waiting for Steam's verdict: 2 waiting, limit 2 (MaxPending)")
	r.tick(1)
	assert.ErrorIs(t, r.sys.CheckJoin(carol), systems.ErrPendingFull)
	// A verdict, either way, frees a place.
	r.conn.queue = append(r.conn.queue, steamgs.ValidateAuthTicketResponse{SteamID: alice, Response: steamgs.AuthTicketInvalid})
	r.tick(1)
	_, pending := r.counts()
	assert.Equal(t, 1, pending)
	assert.NoError(t, r.sys.CheckJoin(carol))

	unbounded := newRigWith(t, func(c *systems.Config) { c.MaxPending = -1 })
	for i := range 100 {
		id := steamgs.IndividualID(2000 + uint32(i))
		require.NoError(t, unbounded.sys.CheckJoin(id))
		unbounded.sys.Join(id, "p", []byte("t"), t0)
	}
}

func TestPendingTimeout(t *testing.T) {
	now := t0
	r := newRigWith(t, func(c *systems.Config) {
		c.Now = func() time.Time { return now }
		c.PendingTimeout = 5 * time.Second
	})
	e := r.sys.Join(alice, "alice", []byte("t"), t0)
	r.tick(1)
	now = now.Add(time.Second)
	f := r.sys.Join(bob, "bob", []byte("t"), t0)
	r.tick(1)
	now = now.Add(4 * time.Second) // alice has waited 5 s: not longer
	assert.Empty(t, r.calls())
	r.auth = nil
	now = now.Add(time.Millisecond)
	assert.Equal(t, []string{"EndAuthSession(" + alice.String() + ")"}, r.calls(), "alice waited too long; bob not yet")
	require.Len(t, r.auth, 1)
	assert.Equal(t, components.AuthDenied, r.auth[0].State)
	assert.Equal(t, steamgs.DenySteamResponseTimedOut, r.auth[0].Reason.Deny)
	assert.Equal(t, "SteamResponseTimedOut: no verdict from Steam within 5s", r.auth[0].Reason.String())
	assert.False(t, r.w.Valid(e), "removed under RemoveRejected")
	assert.False(t, r.sys.HasSession(alice))
	_, pending := r.counts()
	assert.Equal(t, 1, pending)

	// Bob is approved in time; his approval is never withdrawn by the clock.
	r.approve(bob)
	r.tick(1)
	now = now.Add(time.Minute)
	assert.Empty(t, r.calls())
	assert.True(t, r.player(f).Active())
	players, pending := r.counts()
	assert.Equal(t, 1, players)
	assert.Equal(t, 0, pending)
}

func TestPendingNoTimeout(t *testing.T) {
	now := t0
	r := newRigWith(t, func(c *systems.Config) {
		c.Now = func() time.Time { return now }
		c.PendingTimeout = -1
	})
	e := r.sys.Join(alice, "alice", []byte("t"), t0)
	r.tick(1)
	now = now.Add(24 * time.Hour)
	assert.Empty(t, r.calls())
	assert.Equal(t, components.AuthPending, r.player(e).Auth())
}

func TestPendingDropped(t *testing.T) {
	r := newRig(t, systems.RemoveRejected)
	e := r.sys.Join(alice, "alice", []byte("t"), t0)
	r.tick(1)
	_, pending := r.counts()
	require.Equal(t, 1, pending)
	r.sys.Remove(e) // the game drops it before Steam answers
	assert.Equal(t, []string{"EndAuthSession(" + alice.String() + ")"}, r.calls())
	_, pending = r.counts()
	assert.Equal(t, 0, pending)
	// Steam's late approval concerns nobody.
	r.approve(alice)
	assert.Empty(t, r.calls())
	players, _ := r.counts()
	assert.Equal(t, 0, players)
}

func TestQuietTickWithPendingAllocatesNothing(t *testing.T) {
	r := newRigWith(t, func(c *systems.Config) { c.PendingTimeout = time.Hour })
	r.sys.Join(alice, "alice", []byte("t"), t0)
	r.tick(2)
	r.conn.record = false
	allocs := testing.AllocsPerRun(100, func() { r.tick(1) })
	assert.Zero(t, allocs)
}

// TestCountsAreTheSystems checks the slot count follows what the systems
// approved, whatever the game does to a player's component: a player the
// game marks kicked itself frees its slot when removed, and a player that
// arrives already approved (not by these systems) never takes or frees one.
func TestCountsAreTheSystems(t *testing.T) {
	r := newRig(t, systems.KeepRejected)
	a := r.sys.Join(alice, "alice", []byte("t"), t0)
	r.sys.Join(bob, "bob", []byte("t"), t0)
	r.tick(1)
	r.approve(alice, bob)
	r.tick(1)
	players, _ := r.counts()
	require.Equal(t, 2, players)

	r.player(a).SetAuth(components.AuthKicked, components.Reason{}) // by the game
	r.sys.Remove(a)
	r.tick(1)
	players, _ = r.counts()
	assert.Equal(t, 1, players, "the game's kick, then removal, frees alice's slot")

	approved := components.NewPlayer(carol, "carol", []byte("t"), t0)
	approved.SetAuth(components.AuthApproved, components.Reason{})
	c := r.w.Create(components.Player)
	components.Player.SetValue(r.w.Entry(c), approved)
	r.tick(1)
	players, _ = r.counts()
	assert.Equal(t, 1, players, "a player approved by no one here takes no slot")
	r.sys.Remove(c)
	r.tick(1)
	players, _ = r.counts()
	assert.Equal(t, 1, players, "nor frees one")
}

// TestRestartForgetsTheServer shuts the server down and initializes it
// again between two ticks: the systems see a server that is not logged on,
// not advertised and knows no session; the players waiting for a verdict
// are denied, the approved ones keep their slots until the game removes
// them.
func TestRestartForgetsTheServer(t *testing.T) {
	r := newRig(t, systems.RemoveRejected)
	set := r.sys.Settings()
	set.SetProduct("480")
	set.SetGameDescription("Spacewar")
	set.SetAdvertiseServerActive(true)
	set.LogOnAnonymous()
	r.tick(1)
	r.conn.queue = append(r.conn.queue, steamgs.ServerConnected{})
	b := r.sys.Join(bob, "bob", []byte("t"), t0)
	r.tick(1)
	r.approve(bob)
	a := r.sys.Join(alice, "alice", []byte("t"), t0)
	r.tick(1)
	st := r.sys.Status()
	require.True(t, st.LoggedOn)
	require.True(t, st.Advertised)
	players, pending := r.counts()
	require.Equal(t, []int{1, 1}, []int{players, pending})

	cfg := r.srv.Config()
	require.NoError(t, r.srv.Shutdown())
	require.NoError(t, r.srv.Init(cfg))
	r.conn = r.back.conn
	r.conn.record = true
	r.auth = nil
	set.MarkAllDirty()
	calls := r.calls()
	assert.Contains(t, calls, "Apply(Product|GameDescription)", "the settings pushed again")
	assert.False(t, r.conn.settings.Advertise, "advertised by a server that is not logged on")
	assert.False(t, st.LoggedOn)
	assert.Equal(t, components.NotLoggedOn, st.State)
	assert.False(t, st.Advertised)
	assert.Zero(t, r.sys.Sessions(), "sessions of the old server")
	assert.False(t, r.w.Valid(a), "alice, who waited for a verdict, is removed")
	require.Len(t, r.auth, 1)
	assert.Equal(t, components.AuthDenied, r.auth[0].State)
	players, pending = r.counts()
	assert.Equal(t, []int{1, 0}, []int{players, pending})
	assert.NoError(t, r.sys.CheckJoin(alice), "alice may join the new server")
	r.sys.Remove(b)
	assert.NotContains(t, r.calls(), "EndAuthSession("+bob.String()+")", "the new server has no session of bob's")
	players, _ = r.counts()
	assert.Zero(t, players)
}
