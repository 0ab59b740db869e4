package systems

import (
	"errors"
	"fmt"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/yohamta/donburi"
)

// Errors of CheckJoin, for the game to tell a client why it may not join.
var (
	// ErrServerFull: every player slot (Settings' MaxPlayers) is taken by
	// an approved player or a bot.
	ErrServerFull = errors.New("systems: server full")
	// ErrPendingFull: as many players as Config.MaxPending already wait
	// for Steam's verdict on their tickets.
	ErrPendingFull = errors.New("systems: too many players waiting for Steam's verdict")
	// ErrAlreadyJoined: the Steam ID is already a player of the server,
	// pending or approved.
	ErrAlreadyJoined = errors.New("systems: already a player of this server")
)

// Pending defaults of Config.
const (
	// DefaultMaxPending is how many players may wait for Steam's verdict at
	// once when Config.MaxPending is 0.
	DefaultMaxPending = 32
	// DefaultPendingTimeout is how long a player may wait for Steam's
	// verdict when Config.PendingTimeout is 0.
	DefaultPendingTimeout = 10 * time.Second
)

// pendingPlayer is a player whose auth session began and whose verdict has
// not come yet.
type pendingPlayer struct {
	e     donburi.Entity
	id    steamgs.SteamID
	since time.Time // when BeginAuthSession was called
}

// CheckJoin reports whether a player with Steam ID id may join now, before
// the game creates its entity (and before any ticket is checked): it fails
// with an error matching steamgs.ErrInvalidSteamID for an ID that is not an
// individual account's, ErrAlreadyJoined when id is already a player
// (pending or approved), ErrServerFull when the approved players and bots
// fill Settings' MaxPlayers (0 sets no limit), and ErrPendingFull when
// Config.MaxPending players already wait for Steam's verdict. Players
// waiting for the verdict do not count against MaxPlayers: a flood of
// tickets that Steam will refuse cannot fill the server, only the pending
// table, from which the refused and those that wait too long
// (Config.PendingTimeout) leave. A player whom Steam approves after the
// slots filled meanwhile is denied (components.FromServerFull) and its
// session ends.
//
// The pending count it checks includes the players who arrived since the
// last tick, whose sessions have not begun (Pending and StatusData.Pending
// count them once the tick begins them). It costs a few comparisons and a
// look at those arrivals, makes no Steam call, and allocates only the
// error of a refusal. Bots (AddBot) are the game's choice and are not
// checked.
func (s *Systems) CheckJoin(id steamgs.SteamID) error {
	if !id.IsValid() || id.Type() != steamgs.AccountTypeIndividual {
		return fmt.Errorf("%w: %v is not an individual account's", steamgs.ErrInvalidSteamID, id)
	}
	if _, ok := s.sessions[id]; ok { // pending players among them
		return fmt.Errorf("%w: %v", ErrAlreadyJoined, id)
	}
	waiting := len(s.pending)
	for _, e := range s.added {
		p := s.Player(e)
		if p == nil || p.Bot() || p.Auth() != components.AuthPending {
			continue
		}
		if p.SteamID() == id {
			return fmt.Errorf("%w: %v", ErrAlreadyJoined, id)
		}
		waiting++
	}
	if limit := s.Settings().MaxPlayers(); limit > 0 && len(s.slots) >= limit {
		return fmt.Errorf("%w: %d slots taken by players and bots, limit %d (max players)", ErrServerFull, len(s.slots), limit)
	}
	if limit := s.maxPending(); limit > 0 && waiting >= limit {
		return fmt.Errorf("%w: %d waiting, limit %d (MaxPending)", ErrPendingFull, waiting, limit)
	}
	return nil
}

// maxPending is the bound of the pending table; 0 for none.
func (s *Systems) maxPending() int {
	switch n := s.cfg.MaxPending; {
	case n == 0:
		return DefaultMaxPending
	case n < 0:
		return 0
	default:
		return n
	}
}

// pendingTimeout is how long a player may wait for the verdict; 0 for ever.
func (s *Systems) pendingTimeout() time.Duration {
	switch d := s.cfg.PendingTimeout; {
	case d == 0:
		return DefaultPendingTimeout
	case d < 0:
		return 0
	default:
		return d
	}
}

// Pending returns the number of players whose auth session began and whose
// verdict has not come yet (players who arrived since the last tick are not
// among them until the tick begins their sessions).
func (s *Systems) Pending() int { return len(s.pending) }

// Approved returns the number of players and bots the systems approved
// that are still approved: those that take a player slot.
func (s *Systems) Approved() int { return len(s.slots) }

// unslot frees the slot of player e, if the systems approved it.
func (s *Systems) unslot(e donburi.Entity) {
	if _, ok := s.slots[e]; ok {
		delete(s.slots, e)
		s.counted()
	}
}

// pend records that player e, id, waits for Steam's verdict from now.
func (s *Systems) pend(e donburi.Entity, id steamgs.SteamID) {
	s.pending = append(s.pending, pendingPlayer{e: e, id: id, since: s.cfg.Now()})
	s.counted()
}

// unpend forgets the pending player e, if it is one.
func (s *Systems) unpend(e donburi.Entity) {
	for i := range s.pending {
		if s.pending[i].e == e {
			s.pending = append(s.pending[:i], s.pending[i+1:]...)
			s.counted()
			return
		}
	}
}

// counted copies the player counts into the status.
func (s *Systems) counted() {
	st := s.Status()
	st.Players, st.Pending = len(s.slots), len(s.pending)
}

// pendingDue reports whether the oldest pending player has waited longer
// than Config.PendingTimeout.
func (s *Systems) pendingDue() bool {
	d := s.pendingTimeout()
	return len(s.pending) > 0 && d > 0 && s.cfg.Now().Sub(s.pending[0].since) > d
}

// expirePending denies the players that waited longer than
// Config.PendingTimeout for Steam's verdict; their sessions end.
func (s *Systems) expirePending() {
	d := s.pendingTimeout()
	if d <= 0 {
		return
	}
	s.denyPending(s.cfg.Now().Add(-d), components.Reason{Source: components.FromTimeout,
		Deny: steamgs.DenySteamResponseTimedOut, Message: "no verdict from Steam within " + d.String()})
}

// denyPending denies, for r, the pending players whose sessions began
// before cutoff (every one when cutoff is zero), oldest first; their
// sessions end. Entries of players that are gone or no longer pending are
// dropped.
func (s *Systems) denyPending(cutoff time.Time, r components.Reason) {
	for len(s.pending) > 0 && (cutoff.IsZero() || s.pending[0].since.Before(cutoff)) {
		pp := s.pending[0]
		p := s.Player(pp.e)
		if p == nil || p.Auth() != components.AuthPending {
			s.unpend(pp.e)
			continue
		}
		s.reject(pp.e, p, components.AuthDenied, r)
	}
}
