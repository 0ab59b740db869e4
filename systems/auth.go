package systems

import (
	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/yohamta/donburi"
	decs "github.com/yohamta/donburi/ecs"
)

// Authenticate is the auth system (the fourth of a tick, after the game's
// own): it denies the players that waited longer than Config.PendingTimeout
// for Steam's verdict, ends the auth sessions of players removed since the
// last tick and of players Steam rejected (EndAuthSession), then takes on
// the players that arrived: a player with a ticket gets BeginAuthSession,
// once, and waits for Steam's verdict in the pending table (a refusal of the
// ticket denies it at once); a bot gets CreateUnauthenticatedUserConnection
// and is approved. With nothing arrived, nothing removed and nobody waiting
// too long it returns at once; while the server is not running (before
// Init, after Shutdown) arrivals and removals wait.
func (s *Systems) Authenticate(_ *decs.ECS) {
	due := s.pendingDue()
	if len(s.ends) == 0 && len(s.added) == 0 && !due || !s.srv.Running() {
		return
	}
	if due {
		s.expirePending()
	}
	for i := 0; i < len(s.ends); i++ {
		s.steamMu.Lock()
		err := s.srv.EndAuthSession(s.ends[i])
		s.steamMu.Unlock()
		if err != nil {
			s.fail("EndAuthSession", s.ends[i], err)
		}
	}
	s.ends = s.ends[:0]
	for i := 0; i < len(s.added); i++ {
		s.begin(s.added[i])
	}
	s.added = s.added[:0]
	s.finish()
}

// begin takes on the new player entity e.
func (s *Systems) begin(e donburi.Entity) {
	p := s.Player(e)
	if p == nil || !s.roster.Attach(e, p) || p.Auth() != components.AuthPending {
		return
	}
	if p.Bot() {
		s.steamMu.Lock()
		id, err := s.srv.CreateUnauthenticatedUserConnection()
		s.steamMu.Unlock()
		if err != nil || !id.IsValid() {
			s.fail("CreateUnauthenticatedUserConnection", 0, err)
			s.reject(e, p, components.AuthDenied, components.Reason{Source: components.FromError,
				Deny: steamgs.DenyGeneric, Message: errText(err, "no Steam ID for the bot")})
			return
		}
		p.SetBotID(id)
		s.sessions[id] = e
		s.admit(e, p)
		publish(s.w, s.ev, s.ev.PlayerAuth, evPlayerAuth, PlayerAuthChanged{Entity: e, SteamID: id, State: components.AuthApproved})
		return
	}
	id := p.SteamID()
	if held, ok := s.sessions[id]; ok && held != e {
		s.reject(e, p, components.AuthDenied, components.Reason{Source: components.FromBeginAuth,
			Begin: steamgs.BeginAuthDuplicateRequest, Deny: denyForBegin(steamgs.BeginAuthDuplicateRequest)})
		return
	}
	s.steamMu.Lock()
	res, err := s.srv.BeginAuthSession(p.Ticket(), id)
	s.steamMu.Unlock()
	switch {
	case err != nil:
		s.failInput("BeginAuthSession", id, err)
		s.reject(e, p, components.AuthDenied, components.Reason{Source: components.FromError,
			Deny: steamgs.DenyGeneric, Message: err.Error()})
	case res != steamgs.BeginAuthOK:
		s.reject(e, p, components.AuthDenied, components.Reason{Source: components.FromBeginAuth,
			Begin: res, Deny: denyForBegin(res)})
	default:
		s.sessions[id] = e
		s.pend(e, id)
	}
}

func errText(err error, otherwise string) string {
	if err != nil {
		return err.Error()
	}
	return otherwise
}
