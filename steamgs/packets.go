package steamgs

import "net/netip"

// IsSteamPacket reports whether a datagram that arrived on the game socket
// belongs to Steam: it starts FF FF FF FF, as every datagram of Valve's
// connectionless protocols does (A2S queries, the master server's traffic).
// In GameSocketShare mode the game hands these to HandleIncomingPacket and
// keeps the others; a game's own protocol must never start so.
func IsSteamPacket(pkt []byte) bool {
	return len(pkt) >= 4 && pkt[0] == 0xFF && pkt[1] == 0xFF && pkt[2] == 0xFF && pkt[3] == 0xFF
}

// HandleIncomingPacket hands Steam a datagram that arrived on the game socket
// and starts FF FF FF FF, in GameSocketShare mode (ISteamGameServer::HandleIncomingPacket,
// GodotSteam's handleIncomingPacket). It reports whether Steam took it; a packet that does
// not start FF FF FF FF is not Steam's and is not handed over (false). Call
// GetNextOutgoingPacket afterwards, until it returns 0, and send what it
// gives at once: the replies are then written before the next datagram is
// read. from is an IPv4 address.
func (s *Server) HandleIncomingPacket(pkt []byte, from netip.AddrPort) (bool, error) {
	if s.conn == nil {
		return false, s.notInit("HandleIncomingPacket")
	}
	if len(pkt) == 0 {
		return false, newError(ErrEmpty, "packet from %s is empty", from)
	}
	ip := from.Addr().Unmap()
	if !ip.Is4() {
		_, err := ipv4("packet source", from.Addr())
		return false, err
	}
	if s.packets == nil {
		return false, newError(ErrUnsupported, "HandleIncomingPacket: the back end does not share the game socket")
	}
	if !IsSteamPacket(pkt) {
		return false, nil
	}
	return s.packets.HandleIncomingPacket(pkt, netip.AddrPortFrom(ip, from.Port())), nil
}

// GetNextOutgoingPacket copies the next datagram Steam wants sent from the
// game socket into buf and returns its length and destination; length 0
// means none is left (ISteamGameServer::GetNextOutgoingPacket,
// GodotSteam's getNextOutgoingPacket). In GameSocketShare
// mode call it after each HandleIncomingPacket, and every tick for what
// Steam sends by itself (the master server's traffic), until it returns 0.
// buf holds at least MinOutgoingPacketBuffer bytes: libsteam_api cannot say
// how large the packet it has queued is, and writes at most len(buf) bytes
// of it, so a smaller buffer could lose a packet; the check is made for
// every back end so that a game tested on one works on the other.
func (s *Server) GetNextOutgoingPacket(buf []byte) (int, netip.AddrPort, error) {
	if s.conn == nil {
		return 0, netip.AddrPort{}, s.notInit("GetNextOutgoingPacket")
	}
	if len(buf) < MinOutgoingPacketBuffer {
		return 0, netip.AddrPort{}, newError(ErrOutOfRange, "packet buffer is %d bytes, need at least %d", len(buf), MinOutgoingPacketBuffer)
	}
	if s.packets == nil {
		return 0, netip.AddrPort{}, newError(ErrUnsupported, "GetNextOutgoingPacket: the back end does not share the game socket")
	}
	n, to := s.packets.GetNextOutgoingPacket(buf)
	return n, to, nil
}
