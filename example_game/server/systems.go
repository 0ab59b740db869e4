package server

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/example_game/game"
	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/systems"
	"github.com/yohamta/donburi"
	decs "github.com/yohamta/donburi/ecs"
)

// receive is the game's first system: it handles the datagrams the socket
// goroutine queued since the last tick (handshakes, input, leaving).
func (s *Server) receive(_ *decs.ECS) {
	s.gameIn.Drain(s.drainFn)
}

// handle handles one game datagram from a client.
func (s *Server) handle(pkt []byte, from netip.AddrPort) {
	s.counters.GameIn++
	t, err := proto.Peek(pkt)
	if err != nil {
		s.counters.Bad++
		return
	}
	switch t {
	case proto.TypeInput:
		m, err := proto.ParseInput(pkt)
		e, ok := s.clients[from]
		if err != nil || !ok {
			s.counters.Bad++
			return
		}
		entry := s.world.Entry(e)
		if !components.Player.Get(entry).Active() {
			return // pending: its input waits for the Welcome
		}
		s.counters.Inputs++
		r := Remote.Get(entry)
		r.LastHeard = s.cfg.Now()
		r.Played = true
		if m.Seq > r.Seq {
			r.Seq = m.Seq
			game.Control.Get(entry).Buttons = game.Buttons(m.Buttons) & game.AllButtons
		}
	case proto.TypeHello:
		if _, err := proto.ParseHello(pkt); err != nil {
			s.counters.Bad++
			return
		}
		st := s.ecs.Status()
		if !st.LoggedOn || st.SteamID == 0 {
			s.deny(from, proto.ReasonNotReady, "the server is logging on to Steam; try again")
			return
		}
		c := proto.Challenge{Token: s.token(from), ServerID: uint64(st.SteamID), Password: s.cfg.Password != ""}
		s.send(c.AppendTo(s.out[:0]), from)
	case proto.TypeConnect:
		m, err := proto.ParseConnect(pkt)
		if err != nil {
			s.counters.Bad++
			return
		}
		s.connect(m, from)
	case proto.TypeDisconnect:
		m, err := proto.ParseDisconnect(pkt)
		if err != nil {
			s.counters.Bad++
			return
		}
		if e, ok := s.clients[from]; ok {
			if len(m.CancelNotice) > 0 {
				s.applyCancelNotice(e, m.CancelNotice)
			}
			s.leave(e, from, "quit")
		}
	default:
		s.counters.Bad++ // a server's message sent to the server
	}
}

// deny refuses a client.
func (s *Server) deny(to netip.AddrPort, r proto.Reason, msg string) {
	s.send(proto.Deny{Reason: r, Message: msg}.AppendTo(s.out[:0]), to)
}

// welcome accepts a client that joined as player e.
func (s *Server) welcome(to netip.AddrPort, e donburi.Entity) {
	r := s.game.Rules()
	m := proto.Welcome{PlayerID: game.Body.Get(s.world.Entry(e)).ID, TickRate: uint8(r.TickRate),
		Width: uint16(r.Width), Height: uint16(r.Height), ServerName: s.cfg.Name, Map: s.cfg.Map}
	s.send(m.AppendTo(s.out[:0]), to)
}

// connect admits a client that answered its challenge: the new player waits
// for Steam's verdict on its ticket, which the auth system asks for.
func (s *Server) connect(m proto.Connect, from netip.AddrPort) {
	if s.connects != nil && !s.connects.Allow(from, s.cfg.Now()) {
		s.counters.RateLimited++
		return
	}
	if !s.validToken(m.Token, from) {
		s.deny(from, proto.ReasonBadToken, "the challenge token is stale; say hello again")
		return
	}
	id := steamgs.SteamID(m.SteamID)
	if e, ok := s.clients[from]; ok {
		if p := components.Player.Get(s.world.Entry(e)); p.SteamID() == id {
			if p.Active() {
				s.welcome(from, e) // the Welcome was lost: send it again
				return
			}
			// Pending: the Welcome goes when Steam approves; the client
			// repeats its Connect meanwhile, and is heard.
			Remote.Get(s.world.Entry(e)).LastHeard = s.cfg.Now()
			return
		}
		s.deny(from, proto.ReasonDuplicate, "this address plays as another account")
		return
	}
	if s.cfg.Password != "" && !s.passwordOK(m.Password) {
		s.deny(from, proto.ReasonWrongPassword, "")
		s.log.Debug("client refused", "addr", from.String(), "reason", "wrong password")
		return
	}
	if err := s.ecs.CheckJoin(id); err != nil {
		switch {
		case errors.Is(err, systems.ErrAlreadyJoined):
			s.deny(from, proto.ReasonDuplicate, id.String()+" is already playing here")
		case errors.Is(err, systems.ErrServerFull):
			s.deny(from, proto.ReasonServerFull, "")
			s.log.Debug("client refused", "addr", from.String(), "reason", "server full")
		case errors.Is(err, systems.ErrPendingFull):
			s.counters.Busy++
			s.deny(from, proto.ReasonNotReady, "too many connections waiting for Steam; try again")
		default: // not an individual account's Steam ID
			s.deny(from, proto.ReasonAuthFailed, "not an individual Steam ID: "+id.String())
		}
		return
	}
	if s.sharePending() && s.pendingFrom(from) >= s.cfg.MaxPendingPerSource {
		s.counters.Busy++
		s.deny(from, proto.ReasonNotReady, "too many connections waiting for Steam; try again")
		return
	}
	name := m.Name
	if name == "" {
		name = "player"
	}
	now := s.cfg.Now()
	e := s.game.AddPlayer(s.world, components.NewPlayer(id, name, m.Ticket, now), Remote)
	Remote.SetValue(s.world.Entry(e), RemoteData{Addr: from, LastHeard: now})
	s.clients[from] = e
	s.pending[from] = struct{}{}
	s.log.Debug("player connecting", "name", name, "steam_id", id.String(), "addr", from.String())
}

// sharePending reports whether the pending table is at least half full:
// only then does a source's share of it (MaxPendingPerSource) apply, so
// that friends behind one NAT join at once on a quiet server while one
// source never holds more than half the table and its share.
func (s *Server) sharePending() bool { return 2*len(s.pending) >= s.cfg.MaxPending }

// pendingFrom returns the pending clients of from's source.
func (s *Server) pendingFrom(from netip.AddrPort) int {
	if s.cfg.ConnectByPort {
		if _, ok := s.pending[from]; ok {
			return 1
		}
		return 0
	}
	n := 0
	for a := range s.pending {
		if a.Addr() == from.Addr() {
			n++
		}
	}
	return n
}

// cancelNotices is the embedded Steam's (a *local.Universe's) way to learn
// that a client in another process cancelled its auth ticket.
type cancelNotices interface {
	ApplyCancelNotice(notice []byte) error
}

// applyCancelNotice applies the cancel notice a leaving client sent with its
// Disconnect to the embedded Steam, as the real Steam learns of every
// cancel: the ticket is then refused (AuthTicketCanceled) to whoever
// presents it again. Other back ends have no use for it.
func (s *Server) applyCancelNotice(e donburi.Entity, notice []byte) {
	if s.notices == nil {
		return
	}
	if err := s.notices.ApplyCancelNotice(notice); err != nil {
		p := components.Player.Get(s.world.Entry(e))
		s.log.Warn("cancel notice refused", "name", p.Name(), "steam_id", p.SteamID().String(), "err", err)
	}
}

// leave removes a client's player; its auth session ends in the auth system.
func (s *Server) leave(e donburi.Entity, addr netip.AddrPort, why string) {
	if s.world.Valid(e) {
		p := components.Player.Get(s.world.Entry(e))
		if p.Active() {
			s.log.Info("player left", "name", p.Name(), "steam_id", p.SteamID().String(), "reason", why, "score", p.Score())
			s.counters.Leaves++
		}
		s.world.Remove(e)
	}
	delete(s.clients, addr)
	delete(s.pending, addr)
}

// expire removes the clients that sent nothing for Config.ClientTimeout,
// and those that never sent an Input for Config.SilentTimeout.
//
// Time the server did not run does not count: when a tick comes more than
// stallGap after the last one (the process was stopped, the machine
// stalled), the clients are credited with the gap, since what they sent
// meanwhile is still waiting in the socket, and they are judged on later
// ticks, once it has been read.
func (s *Server) expire(_ *decs.ECS) {
	now := s.cfg.Now()
	last := s.lastExpire
	s.lastExpire = now
	if len(s.clients) == 0 {
		return
	}
	if gap := now.Sub(last); !last.IsZero() && gap > s.stallGap() {
		for e := range s.remotes.Iter(s.world) {
			r := Remote.Get(e)
			r.LastHeard = r.LastHeard.Add(gap)
		}
		s.counters.Stalls++
		return
	}
	s.gone = s.gone[:0]
	for e := range s.remotes.Iter(s.world) {
		r := Remote.Get(e)
		limit := s.cfg.ClientTimeout
		if !r.Played {
			limit = s.cfg.SilentTimeout
		}
		if now.Sub(r.LastHeard) > limit {
			s.gone = append(s.gone, e.Entity())
		}
	}
	for _, e := range s.gone {
		addr := Remote.Get(s.world.Entry(e)).Addr
		s.send(proto.Disconnect{Reason: proto.ReasonTimedOut}.AppendTo(s.out[:0]), addr)
		s.leave(e, addr, "timed out")
	}
}

// stallGap is the longest pause between two ticks that is not a stall: ten
// ticks, and at least a second.
func (s *Server) stallGap() time.Duration {
	return max(time.Second, 10*time.Second/time.Duration(s.cfg.Rules.TickRate))
}

// update runs the game's rules, with the local player's buttons.
func (s *Server) update(_ *decs.ECS) {
	if s.local != donburi.Null && s.world.Valid(s.local) {
		game.Control.Get(s.world.Entry(s.local)).Buttons = s.input
	}
	s.game.Update(s.world)
}

// snapshot records the world in s.snap.
func (s *Server) snapshot() {
	s.snap.Tick = uint32(s.game.Tick())
	s.snap.Players = s.snap.Players[:0]
	for e := range s.game.Players().Iter(s.world) {
		if len(s.snap.Players) == proto.MaxPlayers {
			break
		}
		p := components.Player.Get(e)
		if !p.Active() {
			continue // pending, shown to nobody until approved; or refused, about to be removed
		}
		auth := proto.AuthApproved
		if p.Bot() {
			auth = proto.AuthUnauthenticated
		}
		b := game.Body.Get(e)
		s.snap.Players = append(s.snap.Players, proto.PlayerState{ID: b.ID,
			X: proto.ToFixed(b.Pos.X), Y: proto.ToFixed(b.Pos.Y), Score: p.Score(),
			Auth: auth, Bot: p.Bot(), Name: p.Name()})
	}
	s.snap.Coins = s.snap.Coins[:0]
	for e := range s.game.Coins().Iter(s.world) {
		if len(s.snap.Coins) == proto.MaxCoins {
			break
		}
		c := game.Coin.Get(e).Pos
		s.snap.Coins = append(s.snap.Coins, proto.Point{X: proto.ToFixed(c.X), Y: proto.ToFixed(c.Y)})
	}
}

// snapshotYouOffset is where a snapshot's You field starts: after the
// 3-byte header and the 4-byte tick.
const snapshotYouOffset = 7

var le = binary.LittleEndian

// broadcast sends the tick's snapshot to every client: encoded once, with
// each client's own player ID patched in.
func (s *Server) broadcast(_ *decs.ECS) {
	s.snapshot()
	if len(s.clients) == 0 {
		return
	}
	s.snap.You = 0
	s.out = s.snap.AppendTo(s.out[:0])
	for e := range s.remotes.Iter(s.world) {
		if !components.Player.Get(e).Active() {
			continue // pending: shown nothing until approved
		}
		le.PutUint16(s.out[snapshotYouOffset:], game.Body.Get(e).ID)
		s.send(s.out, Remote.Get(e).Addr)
	}
}
