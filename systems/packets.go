package systems

import (
	"net/netip"

	decs "github.com/yohamta/donburi/ecs"
)

// ReadPackets is the packets-in system (the first of a tick): it hands each
// datagram queued in the Inbox to Server.HandleIncomingPacket, in arrival
// order. With no inbox, or an empty one, it returns at once.
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
	_, _ = s.srv.HandleIncomingPacket(pkt, from)
}

// SendPackets is the packets-out system (the last of a tick): it calls
// GetNextOutgoingPacket until it returns nothing and sends each datagram with
// Config.Send, from one buffer reused every tick. Without Send it does
// nothing.
func (s *Systems) SendPackets(_ *decs.ECS) {
	if s.cfg.Send == nil {
		return
	}
	for range maxOutgoingPerTick {
		n, to, err := s.srv.GetNextOutgoingPacket(s.outBuf)
		if err != nil || n <= 0 {
			return
		}
		if n > len(s.outBuf) {
			n = len(s.outBuf)
		}
		s.cfg.Send(s.outBuf[:n], to)
	}
}
