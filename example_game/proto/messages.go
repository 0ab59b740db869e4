package proto

import "fmt"

// Message is one decoded message: a Hello, Challenge, Connect, Welcome,
// Deny, Input, *Snapshot or Disconnect.
type Message interface {
	// Type returns the message's type byte.
	Type() Type
	// AppendTo appends the encoded message to b and returns the extended
	// buffer.
	AppendTo(b []byte) []byte
}

// Reason says why a connection was refused or ended.
type Reason uint8

// The reasons of Deny and Disconnect.
const (
	ReasonNone          Reason = iota // no reason given
	ReasonServerFull                  // every player slot is taken
	ReasonWrongPassword               // the password does not match
	ReasonAuthFailed                  // Steam did not approve the auth ticket
	ReasonBadToken                    // the challenge token is stale or forged
	ReasonNotReady                    // the server is not logged on to Steam yet; retry
	ReasonKicked                      // the server removed the player
	ReasonShutdown                    // the server is shutting down
	ReasonTimedOut                    // nothing was heard for too long
	ReasonQuit                        // the client left
	ReasonDuplicate                   // the Steam account is already playing here
	maxReason           = ReasonDuplicate
)

var reasonNames = [...]string{"none", "server full", "wrong password", "auth failed", "bad token",
	"server not ready", "kicked", "server shutting down", "timed out", "quit", "already connected"}

// String returns a short description, such as "server full".
func (r Reason) String() string {
	if r <= maxReason {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// MinHelloLen is the size a Hello is padded to, so that the server's
// Challenge is never larger than the Hello that asked for it.
const MinHelloLen = 32

// Hello opens a connection; the server answers with a Challenge.
type Hello struct {
	Name string // the player's name, for the server's log; at most MaxNameLen bytes
}

// Type returns TypeHello.
func (Hello) Type() Type { return TypeHello }

// AppendTo appends the Hello, padded with zero bytes to MinHelloLen.
func (m Hello) AppendTo(b []byte) []byte {
	start := len(b)
	b = appendHeader(b, TypeHello)
	b = appendString(b, m.Name, MaxNameLen)
	for len(b)-start < MinHelloLen {
		b = append(b, 0)
	}
	return b
}

// ParseHello decodes a Hello. Its padding must be zero bytes up to exactly
// MinHelloLen (none when the name makes it longer).
func ParseHello(pkt []byte) (Hello, error) {
	r := newReader(pkt, "Hello", TypeHello)
	var m Hello
	m.Name = r.str("name", MaxNameLen, "")
	if r.err == nil {
		want := max(MinHelloLen, r.off)
		if len(pkt) != want {
			r.fail(fmt.Sprintf("message is %d bytes, want %d", len(pkt), want))
		}
		for ; r.err == nil && r.off < len(pkt); r.off++ {
			if pkt[r.off] != 0 {
				r.fail("padding is not zero")
			}
		}
	}
	if err := r.done(); err != nil {
		return Hello{}, err
	}
	return m, nil
}

// Challenge answers a Hello: the client repeats Token in its Connect and
// makes its auth ticket for ServerID.
type Challenge struct {
	Token    uint64 // proof of the client's address, valid for a short while
	ServerID uint64 // the server's Steam ID; zero when it is not logged on yet
	Password bool   // the server wants a password
}

// Type returns TypeChallenge.
func (Challenge) Type() Type { return TypeChallenge }

// AppendTo appends the Challenge.
func (m Challenge) AppendTo(b []byte) []byte {
	b = appendHeader(b, TypeChallenge)
	b = le.AppendUint64(b, m.Token)
	b = le.AppendUint64(b, m.ServerID)
	return append(b, bool8(m.Password))
}

// ParseChallenge decodes a Challenge.
func ParseChallenge(pkt []byte) (Challenge, error) {
	r := newReader(pkt, "Challenge", TypeChallenge)
	var m Challenge
	m.Token = r.u64("token")
	m.ServerID = r.u64("server ID")
	m.Password = r.bool("password flag")
	if err := r.done(); err != nil {
		return Challenge{}, err
	}
	return m, nil
}

// Connect asks to join with an auth ticket.
type Connect struct {
	Token    uint64 // the Challenge's token
	SteamID  uint64 // the player's Steam ID, whose ticket this is
	Name     string // at most MaxNameLen bytes
	Password string // at most MaxPasswordLen bytes
	Ticket   []byte // the auth ticket, at most MaxTicketLen bytes
}

// Type returns TypeConnect.
func (Connect) Type() Type { return TypeConnect }

// AppendTo appends the Connect.
func (m Connect) AppendTo(b []byte) []byte {
	b = appendHeader(b, TypeConnect)
	b = le.AppendUint64(b, m.Token)
	b = le.AppendUint64(b, m.SteamID)
	b = appendString(b, m.Name, MaxNameLen)
	b = appendString(b, m.Password, MaxPasswordLen)
	return appendBytes(b, m.Ticket, MaxTicketLen)
}

// ParseConnect decodes a Connect; Ticket is a copy.
func ParseConnect(pkt []byte) (Connect, error) {
	r := newReader(pkt, "Connect", TypeConnect)
	var m Connect
	m.Token = r.u64("token")
	m.SteamID = r.u64("Steam ID")
	m.Name = r.str("name", MaxNameLen, "")
	m.Password = r.str("password", MaxPasswordLen, "")
	m.Ticket = r.bytes("ticket", MaxTicketLen)
	if err := r.done(); err != nil {
		return Connect{}, err
	}
	return m, nil
}

// Welcome accepts a Connect.
type Welcome struct {
	PlayerID      uint16 // the player's ID in snapshots
	TickRate      uint8  // snapshots per second
	Width, Height uint16 // the arena's size in pixels
	ServerName    string // at most MaxMessageLen bytes
	Map           string // at most MaxNameLen bytes
}

// Type returns TypeWelcome.
func (Welcome) Type() Type { return TypeWelcome }

// AppendTo appends the Welcome.
func (m Welcome) AppendTo(b []byte) []byte {
	b = appendHeader(b, TypeWelcome)
	b = le.AppendUint16(b, m.PlayerID)
	b = append(b, m.TickRate)
	b = le.AppendUint16(b, m.Width)
	b = le.AppendUint16(b, m.Height)
	b = appendString(b, m.ServerName, MaxMessageLen)
	return appendString(b, m.Map, MaxNameLen)
}

// ParseWelcome decodes a Welcome.
func ParseWelcome(pkt []byte) (Welcome, error) {
	r := newReader(pkt, "Welcome", TypeWelcome)
	var m Welcome
	m.PlayerID = r.u16("player ID")
	m.TickRate = r.u8("tick rate")
	m.Width = r.u16("width")
	m.Height = r.u16("height")
	m.ServerName = r.str("server name", MaxMessageLen, "")
	m.Map = r.str("map", MaxNameLen, "")
	if err := r.done(); err != nil {
		return Welcome{}, err
	}
	return m, nil
}

// Deny refuses a Connect (or a Hello).
type Deny struct {
	Reason  Reason
	Message string // details, at most MaxMessageLen bytes
}

// Type returns TypeDeny.
func (Deny) Type() Type { return TypeDeny }

// AppendTo appends the Deny.
func (m Deny) AppendTo(b []byte) []byte {
	b = appendHeader(b, TypeDeny)
	b = append(b, byte(m.Reason))
	return appendString(b, m.Message, MaxMessageLen)
}

// ParseDeny decodes a Deny.
func ParseDeny(pkt []byte) (Deny, error) {
	r := newReader(pkt, "Deny", TypeDeny)
	var m Deny
	m.Reason = r.reason()
	m.Message = r.str("message", MaxMessageLen, "")
	if err := r.done(); err != nil {
		return Deny{}, err
	}
	return m, nil
}

// Input is a client's controls, sent every tick; it doubles as keep-alive.
type Input struct {
	Seq     uint32 // increases with every Input; the server ignores older ones
	Buttons uint8  // bit set of the game's buttons
}

// Type returns TypeInput.
func (Input) Type() Type { return TypeInput }

// AppendTo appends the Input.
func (m Input) AppendTo(b []byte) []byte {
	b = appendHeader(b, TypeInput)
	b = le.AppendUint32(b, m.Seq)
	return append(b, m.Buttons)
}

// ParseInput decodes an Input without allocating.
func ParseInput(pkt []byte) (Input, error) {
	// The fixed layout is checked by hand: Input arrives from every client
	// every tick and its errors must not allocate in the common case.
	if len(pkt) == headerLen+5 && pkt[0] == Magic && pkt[1] == Version && Type(pkt[2]) == TypeInput {
		return Input{Seq: le.Uint32(pkt[3:]), Buttons: pkt[7]}, nil
	}
	r := newReader(pkt, "Input", TypeInput)
	r.u32("seq")
	r.u8("buttons")
	return Input{}, r.done()
}

// Disconnect ends a connection, from either side.
type Disconnect struct {
	Reason Reason
	// CancelNotice, from a client that leaves, tells the server that the
	// client cancelled the auth ticket it joined with: the signed notice of
	// the embedded Steam (steamgs/local's Universe.CancelNotice), which a
	// server in another process applies to its own Steam, since nothing
	// else tells it. It is opaque to the protocol; empty when there is none.
	// At most MaxCancelNoticeLen bytes.
	CancelNotice []byte
}

// Type returns TypeDisconnect.
func (Disconnect) Type() Type { return TypeDisconnect }

// AppendTo appends the Disconnect: the reason byte and, when there is a
// cancel notice, its u16 length and bytes (a Disconnect without one is the
// reason byte alone).
func (m Disconnect) AppendTo(b []byte) []byte {
	b = append(appendHeader(b, TypeDisconnect), byte(m.Reason))
	if len(m.CancelNotice) > 0 {
		b = appendBytes(b, m.CancelNotice, MaxCancelNoticeLen)
	}
	return b
}

// ParseDisconnect decodes a Disconnect; CancelNotice is a copy, nil when the
// message has none.
func ParseDisconnect(pkt []byte) (Disconnect, error) {
	r := newReader(pkt, "Disconnect", TypeDisconnect)
	var m Disconnect
	m.Reason = r.reason()
	if r.err == nil && r.off < len(pkt) {
		m.CancelNotice = r.bytes("cancel notice", MaxCancelNoticeLen)
		if r.err == nil && len(m.CancelNotice) == 0 {
			r.off -= 2
			r.fail("cancel notice is empty; a Disconnect without one ends after its reason")
		}
	}
	if err := r.done(); err != nil {
		return Disconnect{}, err
	}
	return m, nil
}

// Decode decodes any message. A Snapshot comes back as a *Snapshot.
func Decode(pkt []byte) (Message, error) {
	t, err := Peek(pkt)
	if err != nil {
		return nil, err
	}
	switch t {
	case TypeHello:
		return nilOnErr(ParseHello(pkt))
	case TypeChallenge:
		return nilOnErr(ParseChallenge(pkt))
	case TypeConnect:
		return nilOnErr(ParseConnect(pkt))
	case TypeWelcome:
		return nilOnErr(ParseWelcome(pkt))
	case TypeDeny:
		return nilOnErr(ParseDeny(pkt))
	case TypeInput:
		return nilOnErr(ParseInput(pkt))
	case TypeSnapshot:
		s := new(Snapshot)
		if err := ParseSnapshot(pkt, s); err != nil {
			return nil, err
		}
		return s, nil
	default: // TypeDisconnect; Peek refuses every other type
		return nilOnErr(ParseDisconnect(pkt))
	}
}

// nilOnErr returns m as a Message, or a nil Message with err.
func nilOnErr[M Message](m M, err error) (Message, error) {
	if err != nil {
		return nil, err
	}
	return m, nil
}

func bool8(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// bool reads a byte that must be 0 or 1.
func (r *reader) bool(field string) bool {
	v := r.u8(field)
	if v > 1 {
		r.off--
		r.fail(fmt.Sprintf("%s is %d, want 0 or 1", field, v))
	}
	return v == 1
}

// reason reads a Reason byte.
func (r *reader) reason() Reason {
	v := Reason(r.u8("reason"))
	if v > maxReason {
		r.off--
		r.fail(fmt.Sprintf("reason is %d, want at most %d", v, maxReason))
	}
	return v
}
