package local

import (
	"fmt"
	"net"
	"net/netip"
	"runtime"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/query"
)

// MaxQueuedPackets is how many A2S reply datagrams a server in
// GameSocketShare mode keeps for GetNextOutgoingPacket; when more are
// queued, the oldest are dropped.
const MaxQueuedPackets = 512

// a2sState is a server's side of the server query protocol: its settings,
// the Responder that answers from them, and the query socket or the queue of
// outgoing packets. It is the server's own: its fields are used by the
// Conn's caller (one goroutine at a time), and queries, through
// HandleIncomingPacket or the query port, never take the universe's lock.
// The Responder's setters, some of them called with that lock held (as a
// player is listed), never wait for a query being answered. So one
// server's queries never wait on another's Steam calls, and no Steam call
// waits on queries.
type a2sState struct {
	set steamgs.Settings // the last settings applied, without key/values
	// rules are the key/values the Responder reports, in its order.
	rules rules
	r     *query.Responder
	// port is the bound query port, or steamgs.QueryPortShared.
	port uint16
	// Own query port: the socket, and done, closed when Serve returns.
	conn *net.UDPConn
	done chan struct{}
	// GameSocketShare: replies waiting for GetNextOutgoingPacket, and the
	// function that queues one (made once, so that no packet allocates it).
	out  packetQueue
	send func([]byte, netip.AddrPort)
}

// openQuery makes the server's Responder and binds its query port, or
// prepares the outgoing queue in GameSocketShare mode.
func (s *Server) openQuery() error {
	a := &s.a2s
	a.r = query.NewResponder(query.Config{Now: s.u.clock.Now, RateLimit: s.u.rateLimit, RateLimitByPort: s.u.byPort})
	a.send = a.out.push
	s.pushInfo(0, false)
	if s.cfg.QueryPort == steamgs.QueryPortShared {
		a.port = steamgs.QueryPortShared
		return nil
	}
	ip := s.cfg.IP
	if !ip.IsValid() {
		ip = netip.IPv4Unspecified()
	}
	conn, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(ip, s.cfg.QueryPort)))
	if err != nil {
		return &steamgs.InitError{Result: steamgs.InitFailedGeneric,
			Message: fmt.Sprintf("cannot bind query port %s: %v", netip.AddrPortFrom(ip, s.cfg.QueryPort), err)}
	}
	a.conn, a.done = conn, make(chan struct{})
	a.port = uint16(conn.LocalAddr().(*net.UDPAddr).Port)
	go func() {
		defer close(a.done)
		// Serve raises the receive buffer, and returns nil once the socket
		// is closed; no deadline is ever set, so it has no other end.
		_ = a.r.Serve(conn)
	}()
	return nil
}

// closeQuery closes the query socket and waits for its goroutine.
func (s *Server) closeQuery() error {
	a := &s.a2s
	a.r.SetAdvertise(false)
	if a.conn == nil {
		a.out.reset()
		return nil
	}
	err := a.conn.Close()
	<-a.done
	return err
}

// QueryStats returns the A2S counters of the server's Responder: queries
// answered, challenges sent, packets dropped and bytes sent.
func (s *Server) QueryStats() query.Stats { return s.a2s.r.Stats() }

// environment is A2S_INFO's environment byte for this operating system.
func environment() byte {
	switch runtime.GOOS {
	case "windows":
		return 'w'
	case "darwin", "ios":
		return 'm'
	}
	return 'l'
}

// pushInfoLocked gives the Responder the current A2S_INFO; the universe's
// lock is held, for the Steam ID and secure flag.
func (s *Server) pushInfoLocked() { s.pushInfo(s.steamID, s.secure) }

// pushInfo gives the Responder the current A2S_INFO, with the server's
// Steam ID id and secure flag vac.
func (s *Server) pushInfo(id steamgs.SteamID, vac bool) {
	st := &s.a2s.set
	s.a2s.r.SetInfo(query.Info{
		Name:          st.ServerName,
		Map:           st.MapName,
		Folder:        st.ModDir,
		Game:          st.GameDescription,
		AppID:         uint64(s.cfg.AppID),
		MaxPlayers:    st.MaxPlayers,
		Bots:          st.Bots,
		Dedicated:     st.Dedicated,
		Environment:   environment(),
		Password:      st.PasswordProtected,
		VAC:           vac,
		Version:       s.cfg.Version,
		GamePort:      s.cfg.GamePort,
		SteamID:       uint64(id),
		SpectatorPort: st.SpectatorPort,
		SpectatorName: st.SpectatorServerName,
		Keywords:      st.GameTags,
	})
}

// a2sAddPlayerLocked lists p as player user.
func (s *Server) a2sAddPlayerLocked(user steamgs.SteamID, p *player) {
	s.a2s.r.AddPlayer(uint64(user), time.Unix(0, p.joined))
	if p.name != "" || p.score != 0 {
		s.a2s.r.UpdatePlayer(uint64(user), p.name, p.score)
	}
}

// unlistLocked removes player user from the list.
func (s *Server) unlistLocked(user steamgs.SteamID) { s.a2s.r.RemovePlayer(uint64(user)) }

// a2sUpdatePlayerLocked sets the listed name and score of user.
func (s *Server) a2sUpdatePlayerLocked(user steamgs.SteamID, name string, score uint32) {
	s.a2s.r.UpdatePlayer(uint64(user), name, score)
}

// HandleIncomingPacket (ISteamGameServer::HandleIncomingPacket) hands an A2S
// request that arrived on the game socket to the server's Responder and
// reports whether it was one (a packet that is not gets false). The replies
// wait for GetNextOutgoingPacket. Meant for GameSocketShare mode; a server
// with its own query port handles packets passed this way too.
func (s *Server) HandleIncomingPacket(pkt []byte, from netip.AddrPort) bool {
	a := &s.a2s
	return a.r.Handle(pkt, from, a.send)
}

// GetNextOutgoingPacket (ISteamGameServer::GetNextOutgoingPacket) copies the
// oldest queued reply into buf and returns its length and destination, or 0
// when none is queued (or buf is too small for it, in which case it is
// dropped).
func (s *Server) GetNextOutgoingPacket(buf []byte) (int, netip.AddrPort) {
	pkt, to, ok := s.a2s.out.pop()
	if !ok || len(pkt) > len(buf) {
		return 0, netip.AddrPort{}
	}
	return copy(buf, pkt), to
}

// packetQueue is a bounded FIFO of datagrams whose buffers are reused.
type packetQueue struct {
	slots      []queuedPacket
	head, n    int
	maxPackets int
}

// queuedPacket is one datagram and its destination.
type queuedPacket struct {
	b  []byte
	to netip.AddrPort
}

// push copies b to the end of the queue, dropping the oldest packet when
// the queue is full.
func (q *packetQueue) push(b []byte, to netip.AddrPort) {
	if q.maxPackets == 0 {
		q.maxPackets = MaxQueuedPackets
	}
	if q.n == q.maxPackets {
		q.head = (q.head + 1) % len(q.slots)
		q.n--
	}
	if q.n == len(q.slots) {
		// Grow: unroll the ring into a larger slice.
		grown := make([]queuedPacket, max(2*len(q.slots), 8))
		for i := range q.n {
			grown[i] = q.slots[(q.head+i)%len(q.slots)]
		}
		q.slots, q.head = grown[:min(len(grown), q.maxPackets)], 0
	}
	sl := &q.slots[(q.head+q.n)%len(q.slots)]
	sl.b = append(sl.b[:0], b...)
	sl.to = to
	q.n++
}

// pop removes the oldest packet; its bytes are valid until the next push.
func (q *packetQueue) pop() ([]byte, netip.AddrPort, bool) {
	if q.n == 0 {
		return nil, netip.AddrPort{}, false
	}
	sl := &q.slots[q.head]
	q.head = (q.head + 1) % len(q.slots)
	q.n--
	return sl.b, sl.to, true
}

// reset drops every packet.
func (q *packetQueue) reset() { q.head, q.n = 0, 0 }
