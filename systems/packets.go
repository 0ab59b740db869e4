package systems

import (
	"net/netip"

	decs "github.com/yohamta/donburi/ecs"
)

// ReadPackets is the packets-in system (the first of a tick): it hands each
// datagram queued in the Inbox to Server.HandleIncomingPacket, in arrival
// order; their replies go out with SendPackets. With no inbox, or an empty
// one, it returns at once. A game that answers Steam's datagrams as they
// arrive (HandlePacket) needs no inbox.
func (s *Systems) ReadPackets(_ *decs.ECS) {
	in := s.cfg.Inbox
	if in == nil || in.Len() == 0 {
		return
	}
	in.Drain(s.handleFn)
}

// handlePacket hands one datagram to Steam. Steam refuses what it does not
// understand; that is no error of the game's.
func (s *Systems) handlePacket(pkt []byte, from netip.AddrPort) {
	s.steamMu.Lock()
	_, _ = s.srv.HandleIncomingPacket(pkt, from)
	s.steamMu.Unlock()
}

// SendPackets is the packets-out system (the last of a tick): it calls
// GetNextOutgoingPacket until it returns nothing and sends each datagram with
// Config.Send, from one buffer reused every tick: what Steam sends by itself
// (the master server's traffic) and the replies to the datagrams ReadPackets
// handed over. The Steam lock is held for each GetNextOutgoingPacket and
// released before the datagram is sent. Without Send it does nothing.
func (s *Systems) SendPackets(_ *decs.ECS) {
	if s.cfg.Send == nil {
		return
	}
	s.sendQueued(s.outBuf, maxOutgoingPerTick)
}

// sendQueued sends up to limit datagrams that Steam has queued, taking each
// into buf under the Steam lock and sending it after releasing the lock.
func (s *Systems) sendQueued(buf []byte, limit int) {
	for range limit {
		s.steamMu.Lock()
		n, to, err := s.srv.GetNextOutgoingPacket(buf)
		s.steamMu.Unlock()
		if err != nil || n <= 0 {
			return
		}
		s.cfg.Send(buf[:min(n, len(buf))], to)
	}
}

// HandlePacket answers one of Steam's datagrams as it arrives, in
// GameSocketShare mode: the game's socket goroutine calls it for each
// datagram that starts FF FF FF FF (steamgs.IsSteamPacket), before it reads
// the next (it hands over nothing else: Steam takes only those). Under the
// Steam lock it hands pkt to Server.HandleIncomingPacket;
// then it takes each datagram Steam has to send from GetNextOutgoingPacket,
// under the lock, and sends it with Config.Send after releasing the lock, so
// the replies are written before HandlePacket returns and no lock is held
// while the socket is written. It reports whether Steam took pkt. Without
// Config.Send the replies wait for a Send that never comes: set one.
//
// HandlePacket is the one method of Systems safe to call from another
// goroutine than the tick's: the Steam lock, which the systems hold for each
// Steam call and for no more, serializes the two goroutines' calls. The
// game's own calls of the Server, outside the systems, take the lock too
// (LockSteam). A goroutine that calls HandlePacket on the real Steam stays
// on one OS thread (runtime.LockOSThread) and calls ReleaseThreadMemory
// before it ends. HandlePacket allocates nothing once warm.
func (s *Systems) HandlePacket(pkt []byte, from netip.AddrPort) bool {
	s.steamMu.Lock()
	ok, _ := s.srv.HandleIncomingPacket(pkt, from)
	s.steamMu.Unlock()
	if s.cfg.Send != nil {
		bp := s.bufs.Get().(*[]byte)
		s.sendQueued(*bp, maxOutgoingPerPacket)
		s.bufs.Put(bp)
	}
	return ok
}

// LockSteam takes the Steam lock, which serializes the Steam calls of the
// systems (on the tick's goroutine) with those of HandlePacket (on a socket
// goroutine). A game that calls HandlePacket makes its own calls of the
// Server, outside the systems, between LockSteam and UnlockSteam, and holds
// the lock for the calls only: never while it sends, reads or runs game
// logic. The lock is not reentrant: do not call the systems, HandlePacket
// or ReleaseThreadMemory while holding it.
func (s *Systems) LockSteam() { s.steamMu.Lock() }

// UnlockSteam releases the Steam lock taken by LockSteam.
func (s *Systems) UnlockSteam() { s.steamMu.Unlock() }

// ReleaseThreadMemory calls Server.ReleaseThreadMemory under the Steam lock:
// a socket goroutine that calls HandlePacket, locked to its OS thread, calls
// it before it ends, so that libsteam_api frees what it keeps for that
// thread.
func (s *Systems) ReleaseThreadMemory() {
	s.steamMu.Lock()
	s.srv.ReleaseThreadMemory()
	s.steamMu.Unlock()
}
