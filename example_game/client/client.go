package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/steamgs"
)

// Tickets is where a client gets auth tickets: what a Steam client offers
// through ISteamUser. *local.Universe implements it.
type Tickets interface {
	// GetAuthSessionTicket makes a ticket for user to present to the server
	// forID, for app.
	GetAuthSessionTicket(user steamgs.SteamID, app steamgs.AppID, forID steamgs.Identity) (steamgs.AuthTicket, []byte, error)
	// CancelAuthTicket cancels a ticket once the session it was made for ends.
	CancelAuthTicket(user steamgs.SteamID, ticket steamgs.AuthTicket)
}

// CancelNoticer is the optional interface of a Tickets whose cancels a
// server in another process cannot learn of by itself, as the real Steam's
// servers do: *local.Universe, whose servers and clients share only a key.
// CancelNotice cancels a ticket as CancelAuthTicket does and returns a
// signed notice of the cancel, which Close sends to the server with its
// Disconnect.
type CancelNoticer interface {
	CancelNotice(user steamgs.SteamID, ticket steamgs.AuthTicket) ([]byte, error)
}

// Config says which server to join, and as whom.
type Config struct {
	// Server is the game server's address (its game port).
	Server netip.AddrPort
	// Name is the player's name; the protocol carries at most
	// proto.MaxNameLen bytes of it.
	Name string
	// Password is the server's password, if it has one.
	Password string
	// SteamID is the player's Steam account; Tickets makes its tickets.
	SteamID steamgs.SteamID
	// AppID is the game's app ID, for the ticket.
	AppID steamgs.AppID
	// Tickets makes the auth ticket the client presents. Required.
	Tickets Tickets
	// Timeout bounds the handshake, and ends a connection that heard nothing
	// for that long; zero means DefaultTimeout.
	Timeout time.Duration
	// Retry is the time between repeats of an unanswered handshake message;
	// zero means DefaultRetry.
	Retry time.Duration
}

// Defaults of Config.
const (
	DefaultTimeout = 5 * time.Second
	DefaultRetry   = 250 * time.Millisecond
)

// ErrTimeout is the error of a handshake or connection that heard nothing
// from the server for Config.Timeout.
var ErrTimeout = errors.New("client: server did not answer in time")

// ErrClosed is returned by the methods of a closed Client.
var ErrClosed = errors.New("client: closed")

// DeniedError is the error of a connection the server refused (Deny) or
// ended (Disconnect).
type DeniedError struct {
	Reason  proto.Reason
	Message string // details the server gave, possibly empty
	Ended   bool   // true for a Disconnect after Welcome
}

// Error says whether the server refused or ended the connection, and why.
func (e *DeniedError) Error() string {
	verb := "refused the connection"
	if e.Ended {
		verb = "ended the connection"
	}
	if e.Message != "" {
		return fmt.Sprintf("client: server %s: %s: %s", verb, e.Reason, e.Message)
	}
	return fmt.Sprintf("client: server %s: %s", verb, e.Reason)
}

// Client is a connection to a game server. Make one with Dial and end it
// with Close. Its methods are safe for concurrent use: a goroutine of the
// client reads the server's packets, the game sends input and reads
// snapshots from its own.
type Client struct {
	cfg     Config
	conn    *net.UDPConn
	welcome proto.Welcome
	ticket  steamgs.AuthTicket

	mu        sync.Mutex
	snap      proto.Snapshot // newest snapshot
	snaps     uint64         // snapshots received
	lastHeard time.Time
	seq       uint32
	out       []byte
	err       error // why the connection ended
	closed    bool

	done chan struct{} // closed when the connection ends
	wg   sync.WaitGroup
}

// Dial joins the server: Hello, Challenge, an auth ticket made for the
// server's Steam ID, Connect, Welcome. It repeats unanswered messages every
// Config.Retry, asks again while the server answers ReasonNotReady (it is
// not logged on to Steam yet), and fails after Config.Timeout, when ctx ends
// or with a *DeniedError when the server refuses.
func Dial(ctx context.Context, cfg Config) (*Client, error) {
	if cfg.Tickets == nil {
		return nil, errors.New("client: Config.Tickets is nil; a client needs a ticket source")
	}
	if !cfg.Server.IsValid() {
		return nil, fmt.Errorf("client: server address %v is not valid", cfg.Server)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Retry <= 0 {
		cfg.Retry = DefaultRetry
	}
	cfg.Name = proto.ClipName(cfg.Name)
	server := net.UDPAddrFromAddrPort(netip.AddrPortFrom(cfg.Server.Addr().Unmap(), cfg.Server.Port()))
	conn, err := net.DialUDP("udp4", nil, server)
	if err != nil {
		return nil, fmt.Errorf("client: socket to %s: %w", cfg.Server, err)
	}
	c := &Client{cfg: cfg, conn: conn, done: make(chan struct{})}
	if err := c.handshake(ctx); err != nil {
		if c.ticket != 0 {
			cfg.Tickets.CancelAuthTicket(cfg.SteamID, c.ticket)
		}
		_ = conn.Close()
		return nil, err
	}
	c.lastHeard = time.Now()
	c.wg.Add(1)
	go c.read()
	return c, nil
}

// handshake runs the connection's first exchange.
func (c *Client) handshake(ctx context.Context) error {
	deadline := time.Now().Add(c.cfg.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	stop := context.AfterFunc(ctx, func() { _ = c.conn.SetReadDeadline(time.Now()) })
	defer stop()

	buf := make([]byte, proto.MaxPacketSize+1)
	hello := proto.Hello{Name: c.cfg.Name}.AppendTo(nil)
	var connect []byte // set once the challenge is answered
	next := time.Now()
	for {
		now := time.Now()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !now.Before(deadline) {
			return fmt.Errorf("%w: no welcome from %s within %v", ErrTimeout, c.cfg.Server, c.cfg.Timeout)
		}
		if !now.Before(next) {
			pkt := hello
			if connect != nil {
				pkt = connect
			}
			if _, err := c.conn.Write(pkt); err != nil {
				return fmt.Errorf("client: send to %s: %w", c.cfg.Server, err)
			}
			next = now.Add(c.cfg.Retry)
		}
		wait := next
		if deadline.Before(wait) {
			wait = deadline
		}
		_ = c.conn.SetReadDeadline(wait)
		n, err := c.conn.Read(buf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			// A refused port (ICMP) reads as an error on a connected socket:
			// the server may not be up yet, so keep trying until the deadline.
			time.Sleep(min(c.cfg.Retry, time.Until(deadline)))
			continue
		}
		msg, err := proto.Decode(buf[:n])
		if err != nil {
			continue
		}
		switch m := msg.(type) {
		case proto.Challenge:
			if connect != nil {
				continue
			}
			var forID steamgs.Identity
			if m.ServerID != 0 {
				forID.SteamID = steamgs.SteamID(m.ServerID)
			}
			h, ticket, err := c.cfg.Tickets.GetAuthSessionTicket(c.cfg.SteamID, c.cfg.AppID, forID)
			if err != nil {
				return fmt.Errorf("client: auth ticket of %s: %w", c.cfg.SteamID, err)
			}
			c.ticket = h
			connect = proto.Connect{Token: m.Token, SteamID: uint64(c.cfg.SteamID), Name: c.cfg.Name,
				Password: c.cfg.Password, Ticket: ticket}.AppendTo(nil)
			next = time.Now()
		case proto.Welcome:
			if connect != nil {
				c.welcome = m
				return nil
			}
		case proto.Deny:
			if m.Reason == proto.ReasonNotReady || m.Reason == proto.ReasonBadToken {
				// Start over: the server is logging on, or the token aged.
				if c.ticket != 0 {
					c.cfg.Tickets.CancelAuthTicket(c.cfg.SteamID, c.ticket)
					c.ticket = 0
				}
				connect = nil
				next = time.Now().Add(c.cfg.Retry)
				continue
			}
			return &DeniedError{Reason: m.Reason, Message: m.Message}
		}
	}
}

// read receives the server's packets until the connection ends, or until
// Config.Timeout has passed since the last packet heard from the server:
// the deadline moves only when a packet is heard, never on a read error
// (a refused port, as when the server was killed) or a datagram that does
// not decode.
func (c *Client) read() {
	defer c.wg.Done()
	buf := make([]byte, proto.MaxPacketSize+1)
	var back proto.Snapshot
	heard := time.Now()
	for {
		_ = c.conn.SetReadDeadline(heard.Add(c.cfg.Timeout))
		n, err := c.conn.Read(buf)
		if err != nil {
			var ne net.Error
			switch {
			case errors.As(err, &ne) && ne.Timeout():
				c.end(fmt.Errorf("%w: nothing from %s for %v", ErrTimeout, c.cfg.Server, c.cfg.Timeout))
				return
			case errors.Is(err, net.ErrClosed):
				return
			}
			continue // a refused port: the server may be restarting
		}
		pkt := buf[:n]
		t, err := proto.Peek(pkt)
		if err != nil {
			continue
		}
		switch t {
		case proto.TypeSnapshot:
			if proto.ParseSnapshot(pkt, &back) != nil {
				continue
			}
			heard = time.Now()
			c.mu.Lock()
			c.lastHeard = heard
			if back.Tick >= c.snap.Tick || c.snaps == 0 {
				c.snap, back = back, c.snap
				c.snaps++
			}
			c.mu.Unlock()
		case proto.TypeDisconnect:
			m, err := proto.ParseDisconnect(pkt)
			if err != nil {
				continue
			}
			c.end(&DeniedError{Reason: m.Reason, Ended: true})
			return
		case proto.TypeDeny:
			// After the Welcome: Steam refused the ticket.
			m, err := proto.ParseDeny(pkt)
			if err != nil {
				continue
			}
			c.end(&DeniedError{Reason: m.Reason, Message: m.Message})
			return
		default:
			heard = time.Now()
			c.mu.Lock()
			c.lastHeard = heard
			c.mu.Unlock()
		}
	}
}

// end records why the connection ended, once, and closes Done.
func (c *Client) end(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		c.err = err
		close(c.done)
	}
}

// Welcome returns the server's Welcome: the player's ID, the tick rate, the
// arena's size, the server's name and map.
func (c *Client) Welcome() proto.Welcome { return c.welcome }

// Server returns the server's address.
func (c *Client) Server() netip.AddrPort { return c.cfg.Server }

// SteamID returns the player's Steam ID.
func (c *Client) SteamID() steamgs.SteamID { return c.cfg.SteamID }

// SendInput sends the buttons the player holds (a bit set of game.Buttons).
// Send it every tick: it also tells the server the client is alive.
func (c *Client) SendInput(buttons uint8) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	c.seq++
	c.out = proto.Input{Seq: c.seq, Buttons: buttons}.AppendTo(c.out[:0])
	_, err := c.conn.Write(c.out)
	return err
}

// Snapshot copies the newest snapshot into dst, reusing its memory, and
// returns how many snapshots have arrived so far (0: dst is unchanged).
func (c *Client) Snapshot(dst *proto.Snapshot) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snaps == 0 {
		return 0
	}
	dst.Tick, dst.You = c.snap.Tick, c.snap.You
	dst.Players = append(dst.Players[:0], c.snap.Players...)
	dst.Coins = append(dst.Coins[:0], c.snap.Coins...)
	return c.snaps
}

// LastHeard returns when the last packet from the server arrived.
func (c *Client) LastHeard() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastHeard
}

// Done is closed when the connection ends: the server refused the client
// after its Welcome (Steam did not approve its ticket) or disconnected it,
// it timed out, or Close was called. Err says why.
func (c *Client) Done() <-chan struct{} { return c.done }

// Err returns why the connection ended: a *DeniedError, ErrTimeout or
// ErrClosed; nil while it lasts.
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close cancels the auth ticket, leaves the server (a Disconnect, carrying
// the cancel's notice when Config.Tickets is a CancelNoticer), closes the
// socket and waits for the client's goroutine. It returns nil the first
// time and ErrClosed after.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	c.closed = true
	bye := proto.Disconnect{Reason: proto.ReasonQuit, CancelNotice: c.cancelTicket()}
	_, _ = c.conn.Write(bye.AppendTo(nil))
	c.mu.Unlock()
	c.end(ErrClosed)
	err := c.conn.Close()
	c.wg.Wait()
	return err
}

// cancelTicket cancels the client's auth ticket and returns the notice of
// the cancel for the server, nil when Config.Tickets gives none.
func (c *Client) cancelTicket() []byte {
	if c.ticket == 0 {
		return nil
	}
	h := c.ticket
	c.ticket = 0
	if n, ok := c.cfg.Tickets.(CancelNoticer); ok {
		if notice, err := n.CancelNotice(c.cfg.SteamID, h); err == nil {
			return notice
		}
	}
	c.cfg.Tickets.CancelAuthTicket(c.cfg.SteamID, h)
	return nil
}
