package local

import (
	"net/netip"
	"time"

	"github.com/steamgs/steamgs/steamgs"
)

// Reputation is what GetServerReputation reports for a server; see
// [Universe.SetReputation]. The zero value is a score of 0 and no ban.
type Reputation struct {
	Score      uint32    // the reputation score
	Banned     bool      // whether the server is banned
	BanExpires time.Time // when the ban ends; zero when not banned
}

// gameplay is the universe's record of one game server account.
type gameplay struct {
	connects uint32
	played   time.Duration
}

// SetReputation sets what GetServerReputation reports for the game server
// account server (as SteamID reports it).
func (u *Universe) SetReputation(server steamgs.SteamID, r Reputation) {
	u.mu.Lock()
	u.rep[server] = r
	u.mu.Unlock()
}

// callLocked returns a fresh APICall handle.
func (u *Universe) callLocked() steamgs.APICall {
	u.nextCall++
	return steamgs.APICall(u.nextCall)
}

// durationNs converts nanoseconds to a Duration.
func durationNs(ns int64) time.Duration { return time.Duration(ns) }

// gameplayLocked returns the gameplay record of the game server account id,
// making it; nil for id 0 (a server that never logged on).
func (u *Universe) gameplayLocked(id steamgs.SteamID) *gameplay {
	if id == 0 {
		return nil
	}
	g := u.stats[id]
	if g == nil {
		g = &gameplay{}
		u.stats[id] = g
	}
	return g
}

// Request asks the universe what r asks; the answer arrives after the
// latency, on RunCallbacks. RequestAssociateWithClan,
// RequestPlayerCompatibility and RequestServerReputation return a fresh
// APICall that their call result carries (AssociateClan, PlayerCompat,
// ServerReputation), with ResultNotLoggedOn when the server is not logged
// on. RequestUserGroupStatus returns APICall 0, and false, with no answer,
// when the server is not logged on; its answer is a ClientGroupStatus.
// RequestGameplayStats returns APICall 0 and true; its answer is a
// GameplayStats. A kind it does not know gets 0 and false, and no answer.
func (s *Server) Request(r steamgs.Request) (steamgs.APICall, bool) {
	switch r.Kind {
	case steamgs.RequestAssociateWithClan:
		return s.associateWithClan(r.Group), true
	case steamgs.RequestPlayerCompatibility:
		return s.computeNewPlayerCompatibility(r.User), true
	case steamgs.RequestServerReputation:
		return s.getServerReputation(), true
	case steamgs.RequestUserGroupStatus:
		return 0, s.requestUserGroupStatus(r.User, r.Group)
	case steamgs.RequestGameplayStats:
		s.getGameplayStats()
		return 0, true
	}
	return 0, false
}

// requestUserGroupStatus asks whether user is a member or officer of group;
// a ClientGroupStatus answers after the latency, from the universe's records
// (false for accounts it does not know). It returns false, and nothing
// follows, when the server is not logged on.
func (s *Server) requestUserGroupStatus(user, group steamgs.SteamID) bool {
	now := s.u.now()
	u := s.u
	u.mu.Lock()
	defer u.mu.Unlock()
	if !s.loggedOn {
		return false
	}
	cb := steamgs.ClientGroupStatus{SteamID: user, Group: group}
	if g := u.groups[group]; g != nil {
		cb.Officer, cb.Member = g.members[user]
	}
	s.queueLocked(cb, now)
	return true
}

// associateWithClan associates the server with clan, whose members
// ComputeNewPlayerCompatibility counts. An AssociateClan carrying the
// returned call answers after the latency: ResultOK, ResultNotLoggedOn when
// the server is not logged on, or ResultAccountNotFound for a group the
// universe does not know (the association is then unchanged).
func (s *Server) associateWithClan(clan steamgs.SteamID) steamgs.APICall {
	now := s.u.now()
	u := s.u
	u.mu.Lock()
	defer u.mu.Unlock()
	call := u.callLocked()
	r := steamgs.ResultOK
	switch {
	case !s.loggedOn:
		r = steamgs.ResultNotLoggedOn
	case u.groups[clan] == nil:
		r = steamgs.ResultAccountNotFound
	default:
		s.clan = clan
	}
	s.queueLocked(steamgs.AssociateClan{Call: call, Result: r}, now)
	return call
}

// computeNewPlayerCompatibility counts, among the server's active players,
// those who recommend against the candidate user, those the candidate
// recommends against, and those of the first kind who are members of the
// associated clan. A PlayerCompat carrying the returned call answers after
// the latency, with ResultOK, or ResultNotLoggedOn and no counts when the
// server is not logged on.
func (s *Server) computeNewPlayerCompatibility(user steamgs.SteamID) steamgs.APICall {
	now := s.u.now()
	u := s.u
	u.mu.Lock()
	defer u.mu.Unlock()
	call := u.callLocked()
	cb := steamgs.PlayerCompat{Call: call, Result: steamgs.ResultOK, Candidate: user}
	if !s.loggedOn {
		cb.Result = steamgs.ResultNotLoggedOn
		s.queueLocked(cb, now)
		return call
	}
	cand := u.users[user]
	clan := u.groups[s.clan]
	for id, p := range s.players {
		if id == user || p.rejected || p.kind == kindAnon {
			continue
		}
		if a := u.users[id]; a != nil {
			if _, ok := a.against[user]; ok {
				cb.PlayersThatDontLikeCandidate++
				if clan != nil {
					if _, member := clan.members[id]; member {
						cb.ClanPlayersThatDontLikeCandidate++
					}
				}
			}
		}
		if cand != nil {
			if _, ok := cand.against[id]; ok {
				cb.PlayersThatCandidateDoesntLike++
			}
		}
	}
	s.queueLocked(cb, now)
	return call
}

// getGameplayStats queues a GameplayStats from the universe's records of the
// server's account: the connects of sessions that began well, the minutes
// they played (sessions still going included) and the account's rank among
// the universe's accounts by minutes played (0 is first). A server that is
// not logged on gets ResultNotLoggedOn.
func (s *Server) getGameplayStats() {
	now := s.u.now()
	u := s.u
	u.mu.Lock()
	defer u.mu.Unlock()
	cb := steamgs.GameplayStats{Result: steamgs.ResultNotLoggedOn}
	if s.loggedOn {
		var played time.Duration
		if g := u.stats[s.steamID]; g != nil {
			cb.TotalConnects = g.connects
			played = g.played
		}
		for _, p := range s.players {
			if p.ok && !p.rejected && p.kind != kindAnon && now > p.joined {
				played += durationNs(now - p.joined)
			}
		}
		for id, g := range u.stats {
			if id != s.steamID && g.played > played {
				cb.Rank++
			}
		}
		cb.Result = steamgs.ResultOK
		cb.TotalMinutesPlayed = uint32(min(played/time.Minute, 1<<32-1))
	}
	s.queueLocked(cb, now)
}

// getServerReputation queues a ServerReputation carrying the returned call,
// from what Universe.SetReputation set for the server's Steam ID (score 0
// and no ban when nothing was set); a banned server's address is its public
// IP and game port, its game ID its app ID. A server that is not logged on
// gets ResultNotLoggedOn.
func (s *Server) getServerReputation() steamgs.APICall {
	now := s.u.now()
	u := s.u
	u.mu.Lock()
	defer u.mu.Unlock()
	call := u.callLocked()
	cb := steamgs.ServerReputation{Call: call, Result: steamgs.ResultNotLoggedOn}
	if s.loggedOn {
		r := u.rep[s.steamID]
		cb.Result, cb.Score, cb.Banned = steamgs.ResultOK, r.Score, r.Banned
		if r.Banned {
			cb.BannedAddr = netip.AddrPortFrom(s.publicIP, s.cfg.GamePort)
			cb.BannedGameID = uint64(s.cfg.AppID)
			cb.BanExpires = r.BanExpires
		}
	}
	s.queueLocked(cb, now)
	return call
}
