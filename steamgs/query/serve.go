package query

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"time"
)

// SocketReadBuffer is the receive buffer Serve asks for its socket, and what
// a game that shares its socket with Steam should ask for too
// (net.UDPConn.SetReadBuffer): room for thousands of small datagrams, so
// that the kernel does not drop datagrams, players' among them, while the
// reader is busy. The system may grant less (Linux: net.core.rmem_max).
const SocketReadBuffer = 4 << 20

// serveBufSize is Serve's read buffer: larger than any A2S request. A longer
// datagram is cut to it, which can only make its reply smaller.
const serveBufSize = 2048

// Serve answers the queries that arrive on conn (own query port mode) until
// conn is closed, then returns nil. It sets conn's receive buffer to 4 MiB (as
// far as the system allows), reuses one read buffer and allocates nothing per
// packet. Packets that are not A2S requests are ignored. A read deadline that
// expires ends Serve with that error; other read errors (such as ICMP-induced
// ones on some systems) are skipped, with a short pause when they repeat. The
// caller owns conn and closes it to stop Serve.
func (r *Responder) Serve(conn *net.UDPConn) error {
	_ = conn.SetReadBuffer(SocketReadBuffer) // best effort: capped by the system
	buf := make([]byte, serveBufSize)
	// One closure for the whole loop, so that no packet allocates one.
	send := func(b []byte, to netip.AddrPort) { _, _ = conn.WriteToUDPAddrPort(b, to) }
	errs := 0 // consecutive read errors
	for {
		n, from, err := conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return err
			}
			if errs++; errs > 1 {
				time.Sleep(min(time.Duration(errs)*time.Millisecond, 100*time.Millisecond))
			}
			continue
		}
		errs = 0
		r.Handle(buf[:n], from, send)
	}
}
