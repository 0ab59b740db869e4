package steamgstest

//lint:file-ignore SA1019 the suite checks the deprecated methods too: back ends must keep them working

import (
	"github.com/steamgs/steamgs/steamgs"
)

func callCases() []testCase {
	return []testCase{
		{"GroupStatus", connected, callGroupStatus},
		{"GroupStatusNotLoggedOn", connected, callGroupStatusNotLoggedOn},
		{"AssociateWithClan", connected, callAssociateWithClan},
		{"PlayerCompat", connected, callPlayerCompat},
		{"Deprecated", connected, callDeprecated},
	}
}

// newGroup creates a group, failing the case when Steam cannot.
func (e *env) newGroup() steamgs.SteamID {
	e.t.Helper()
	g, err := e.steam.NewGroup()
	if err != nil {
		e.t.Fatalf("Steam.NewGroup: %v", err)
	}
	if !g.IsValid() || g.Type() != steamgs.AccountTypeClan {
		e.t.Fatalf("Steam.NewGroup returned %v, not a valid clan", g)
	}
	return g
}

// callGroupStatus: RequestUserGroupStatus is answered by a ClientGroupStatus
// naming the user and group, with their membership.
func callGroupStatus(e *env) {
	t := e.t
	s := e.loggedOn(steamgs.ModeAuthentication)
	g := e.newGroup()
	for _, m := range []struct{ member, officer bool }{{false, false}, {true, false}, {true, true}} {
		user := e.player()
		if err := e.steam.SetGroupMember(user, g, m.member, m.officer); err != nil {
			t.Fatal(err)
		}
		ok, err := s.RequestUserGroupStatus(user, g)
		if err != nil || !ok {
			t.Fatalf("RequestUserGroupStatus = %v, %v; want true on a logged-on server", ok, err)
		}
		cb := s.await("ClientGroupStatus", func(cb steamgs.Callback) bool {
			st, ok := cb.(steamgs.ClientGroupStatus)
			return ok && st.SteamID == user
		}).(steamgs.ClientGroupStatus)
		want := steamgs.ClientGroupStatus{SteamID: user, Group: g, Member: m.member, Officer: m.officer}
		if cb != want {
			t.Errorf("ClientGroupStatus = %+v, want %+v", cb, want)
		}
	}
}

// callGroupStatusNotLoggedOn: a server that is not connected cannot ask:
// RequestUserGroupStatus returns false and no answer follows.
func callGroupStatusNotLoggedOn(e *env) {
	s := e.ready(steamgs.ModeAuthentication)
	ok, err := s.RequestUserGroupStatus(e.player(), e.newGroup())
	if err != nil || ok {
		e.t.Errorf("RequestUserGroupStatus before log-on = %v, %v; want false", ok, err)
	}
	s.quiet("ClientGroupStatus to a server that could not ask", isType[steamgs.ClientGroupStatus])
}

// callAssociateWithClan: AssociateWithClan returns an APICall that its
// AssociateClan carries; each call gets its own.
func callAssociateWithClan(e *env) {
	t := e.t
	s := e.loggedOn(steamgs.ModeAuthentication)
	g := e.newGroup()
	c1, err := s.AssociateWithClan(g)
	if err != nil || c1 == 0 {
		t.Fatalf("AssociateWithClan = %d, %v", c1, err)
	}
	c2, err := s.AssociateWithClan(g)
	if err != nil || c2 == 0 || c2 == c1 {
		t.Fatalf("a second AssociateWithClan = %d, %v; want a call other than %d", c2, err, c1)
	}
	for _, c := range []steamgs.APICall{c1, c2} {
		cb := s.await("AssociateClan", func(cb steamgs.Callback) bool {
			r, ok := cb.(steamgs.AssociateClan)
			return ok && r.Call == c
		}).(steamgs.AssociateClan)
		if cb.Result != steamgs.ResultOK {
			t.Errorf("AssociateClan for call %d: %v, want OK", c, cb.Result)
		}
	}
}

// callPlayerCompat: ComputeNewPlayerCompatibility returns an APICall that its
// PlayerCompat carries, with the candidate; on an empty server nobody
// dislikes anybody.
func callPlayerCompat(e *env) {
	t := e.t
	s := e.loggedOn(steamgs.ModeAuthentication)
	user := e.player()
	call, err := s.ComputeNewPlayerCompatibility(user)
	if err != nil || call == 0 {
		t.Fatalf("ComputeNewPlayerCompatibility = %d, %v", call, err)
	}
	cb := s.await("PlayerCompat", isType[steamgs.PlayerCompat]).(steamgs.PlayerCompat)
	want := steamgs.PlayerCompat{Call: call, Result: steamgs.ResultOK, Candidate: user}
	if cb != want {
		t.Errorf("PlayerCompat = %+v, want %+v", cb, want)
	}
}

// callDeprecated: GetGameplayStats and GetServerReputation are accepted;
// Steam need not answer them, but any answer is well formed and a
// ServerReputation carries the APICall GetServerReputation returned.
func callDeprecated(e *env) {
	t := e.t
	s := e.loggedOn(steamgs.ModeAuthentication)
	if err := s.GetGameplayStats(); err != nil {
		t.Errorf("GetGameplayStats: %v", err)
	}
	if _, err := s.GetServerReputation(); err != nil {
		t.Errorf("GetServerReputation: %v", err)
	}
	s.quiet("an unexpected callback", func(steamgs.Callback) bool { return false })
	for _, cb := range s.pending {
		switch cb.(type) {
		case steamgs.GameplayStats, steamgs.ServerReputation:
		default:
			t.Errorf("unexpected %#v", cb)
		}
	}
}
