package systems

import (
	"github.com/steamgs/steamgs/components"
	decs "github.com/yohamta/donburi/ecs"
)

// SyncScores is the scores system (the fifth of a tick): it sends
// UpdateUserData for each approved player whose name or score changed since
// it was last sent, and for each player approved since the last tick, and
// for no other. It visits only the players on the roster: with no player
// changed it returns at once.
func (s *Systems) SyncScores(_ *decs.ECS) {
	if s.roster.Len() == 0 {
		return
	}
	s.roster.Drain(s.syncFn)
	if s.ev.pending != 0 {
		s.finish()
	}
}

// syncPlayer sends the name and score of one changed player.
func (s *Systems) syncPlayer(p *components.PlayerData) {
	if !p.Active() || !p.NeedsUpdate() {
		return
	}
	p.MarkUpdated()
	s.steamMu.Lock()
	_, err := s.srv.UpdateUserData(p.SteamID(), p.Name(), p.Score())
	s.steamMu.Unlock()
	if err != nil {
		s.failInput("UpdateUserData", p.SteamID(), err)
	}
}
