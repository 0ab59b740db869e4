package local

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/steamgs/steamgs/steamgs"
)

// Auth ticket format, version 1. Every integer is little-endian; the ticket
// is exactly as long as its fields say, with nothing after the signature.
//
//	offset  size  field
//	0       1     version, 1 (TicketVersion); a parser reads this byte first
//	1       1     flags: 0x01 the user is VAC-banned, 0x02 the user is banned by
//	              the publisher; other bits are zero
//	2       1     identity kind: 0 none, 1 Steam ID, 2 IPv4 address and port,
//	              3 IPv6 address and port, 4 generic string
//	3       1     identity length n: 0, 8, 6, 18 or 1 to 31 by kind
//	4       8     user: the Steam ID of the ticket's owner (a valid Steam ID)
//	12      4     app ID the ticket was made for
//	16      4     handle (HAuthTicket), not zero
//	20      8     issue time, Unix nanoseconds (signed)
//	28      8     expiry time, Unix nanoseconds (signed), after the issue time
//	36      2     licence count m, at most MaxTicketLicenses
//	38      n     identity the ticket was made for: a Steam ID (u64); or the
//	              address bytes in network order (4 or 16) then the port (u16);
//	              or the generic string's bytes (no NUL byte)
//	38+n    4m    licences: app IDs (u32) the user owns (the game and its DLC),
//	              strictly ascending
//	38+n+4m 64    ed25519 signature, by the universe's key, of every byte before it
//
// A ticket therefore takes 102 to 2181 bytes, within steamgs.MaxAuthTicketLen.
const (
	// TicketVersion is the format version this package writes and reads.
	TicketVersion = 1
	// MaxTicketLicenses is the number of licences a ticket can carry, and so
	// the number a user may hold.
	MaxTicketLicenses = 512
	// MinTicketLen and MaxTicketLen bound the length of a version 1 ticket.
	MinTicketLen = ticketHeaderLen + ed25519.SignatureSize
	MaxTicketLen = ticketHeaderLen + steamgs.MaxGenericIdentityLen + 4*MaxTicketLicenses + ed25519.SignatureSize
)

const (
	ticketHeaderLen = 38

	flagVACBanned       = 0x01
	flagPublisherBanned = 0x02
	flagsKnown          = flagVACBanned | flagPublisherBanned

	idNone    = 0
	idSteamID = 1
	idIPv4    = 2
	idIPv6    = 3
	idGeneric = 4
)

// ErrInvalidTicket is matched (errors.Is) by every error of [ParseTicket]:
// bytes that are not a well-formed ticket of a known version.
var ErrInvalidTicket = errors.New("steamgs/local: invalid auth ticket")

// Ticket is the content of an auth ticket (see the format above). A universe
// makes tickets with [Universe.GetAuthSessionTicket] and servers make their
// own with GetAuthSessionTicket; [ParseTicket] reads one back.
type Ticket struct {
	// User owns the ticket: an individual, or a game server for tickets a
	// server made for itself.
	User steamgs.SteamID
	// App is the app the ticket was made for.
	App steamgs.AppID
	// Handle is the ticket's handle, which CancelAuthTicket takes.
	Handle steamgs.AuthTicket
	// Issued and Expires bound the ticket's life; a server refuses it after
	// Expires.
	Issued, Expires time.Time
	// For is the identity the ticket was made for; the zero Identity lets
	// any server check it.
	For steamgs.Identity
	// VACBanned and PublisherBanned are the issuing universe's claims about
	// the user's bans.
	VACBanned, PublisherBanned bool
	// Licenses are the apps the user owns, ascending: the issuing universe's
	// claim, which a universe that does not know the user believes.
	Licenses []steamgs.AppID
	// Signature is the ed25519 signature over the rest of the ticket.
	Signature [ed25519.SignatureSize]byte
}

// ticketCode is why bytes are not a ticket; 0 means they are.
type ticketCode uint8

const (
	ticketOK ticketCode = iota
	ticketShort
	ticketVersion
	ticketFlags
	ticketIdentity
	ticketUser
	ticketHandle
	ticketTimes
	ticketLicenseCount
	ticketLength
	ticketLicenseOrder
)

// rawTicket is a parsed ticket whose variable parts still point into the
// bytes it was parsed from, so that parsing allocates nothing.
type rawTicket struct {
	flags           uint8
	idKind          uint8
	user            steamgs.SteamID
	app             steamgs.AppID
	handle          steamgs.AuthTicket
	issued, expires int64
	id              []byte // identity bytes
	lic             []byte // licences, 4 bytes each
	signed          []byte // every byte before the signature
	sig             []byte
}

// parseTicket reads b into t without allocating and without reading past b.
// It checks the structure only, not the signature.
func parseTicket(b []byte, t *rawTicket) ticketCode {
	if len(b) == 0 {
		return ticketShort
	}
	if b[0] != TicketVersion {
		return ticketVersion
	}
	if len(b) < MinTicketLen {
		return ticketShort
	}
	t.flags = b[1]
	if t.flags&^flagsKnown != 0 {
		return ticketFlags
	}
	t.idKind = b[2]
	n := int(b[3])
	switch t.idKind {
	case idNone:
		if n != 0 {
			return ticketIdentity
		}
	case idSteamID:
		if n != 8 {
			return ticketIdentity
		}
	case idIPv4:
		if n != 6 {
			return ticketIdentity
		}
	case idIPv6:
		if n != 18 {
			return ticketIdentity
		}
	case idGeneric:
		if n < 1 || n > steamgs.MaxGenericIdentityLen {
			return ticketIdentity
		}
	default:
		return ticketIdentity
	}
	t.user = steamgs.SteamID(binary.LittleEndian.Uint64(b[4:]))
	if !t.user.IsValid() {
		return ticketUser
	}
	t.app = steamgs.AppID(binary.LittleEndian.Uint32(b[12:]))
	t.handle = steamgs.AuthTicket(binary.LittleEndian.Uint32(b[16:]))
	if t.handle == 0 {
		return ticketHandle
	}
	t.issued = int64(binary.LittleEndian.Uint64(b[20:]))
	t.expires = int64(binary.LittleEndian.Uint64(b[28:]))
	if t.expires <= t.issued {
		return ticketTimes
	}
	m := int(binary.LittleEndian.Uint16(b[36:]))
	if m > MaxTicketLicenses {
		return ticketLicenseCount
	}
	if len(b) != ticketHeaderLen+n+4*m+ed25519.SignatureSize {
		return ticketLength
	}
	t.id = b[ticketHeaderLen : ticketHeaderLen+n]
	if !checkIdentityBytes(t.idKind, t.id) {
		return ticketIdentity
	}
	t.lic = b[ticketHeaderLen+n : ticketHeaderLen+n+4*m]
	for i := 4; i < len(t.lic); i += 4 {
		if binary.LittleEndian.Uint32(t.lic[i-4:]) >= binary.LittleEndian.Uint32(t.lic[i:]) {
			return ticketLicenseOrder
		}
	}
	end := len(b) - ed25519.SignatureSize
	t.signed, t.sig = b[:end], b[end:]
	return ticketOK
}

// checkIdentityBytes checks the identity bytes of kind: a valid Steam ID, an
// IPv6 address that is not IPv4-mapped (those use kind 2), a generic string
// without NUL bytes.
func checkIdentityBytes(kind uint8, id []byte) bool {
	switch kind {
	case idSteamID:
		return steamgs.SteamID(binary.LittleEndian.Uint64(id)).IsValid()
	case idIPv6:
		return !netip.AddrFrom16([16]byte(id[:16])).Is4In6()
	case idGeneric:
		return bytes.IndexByte(id, 0) < 0
	}
	return true
}

// hasLicense reports whether the ascending licence list lic (4 bytes each)
// holds app, by binary search.
func hasLicense(lic []byte, app steamgs.AppID) bool {
	lo, hi := 0, len(lic)/4
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		v := steamgs.AppID(binary.LittleEndian.Uint32(lic[4*mid:]))
		switch {
		case v == app:
			return true
		case v < app:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return false
}

// identity returns the identity the ticket was made for.
func (t *rawTicket) identity() steamgs.Identity {
	switch t.idKind {
	case idSteamID:
		return steamgs.Identity{SteamID: steamgs.SteamID(binary.LittleEndian.Uint64(t.id))}
	case idIPv4:
		return steamgs.Identity{Addr: netip.AddrPortFrom(netip.AddrFrom4([4]byte(t.id[:4])), binary.LittleEndian.Uint16(t.id[4:]))}
	case idIPv6:
		return steamgs.Identity{Addr: netip.AddrPortFrom(netip.AddrFrom16([16]byte(t.id[:16])), binary.LittleEndian.Uint16(t.id[16:]))}
	case idGeneric:
		return steamgs.Identity{Generic: string(t.id)}
	}
	return steamgs.Identity{}
}

// String describes the code for an error message.
func (c ticketCode) String() string {
	switch c {
	case ticketShort:
		return fmt.Sprintf("shorter than the %d bytes of the smallest ticket", MinTicketLen)
	case ticketVersion:
		return fmt.Sprintf("of an unknown version (this package reads version %d)", TicketVersion)
	case ticketFlags:
		return fmt.Sprintf("flags have bits outside 0x%02x set", flagsKnown)
	case ticketIdentity:
		return "identity kind, length or value is not one the format allows"
	case ticketUser:
		return "user is not a valid Steam ID"
	case ticketHandle:
		return "handle is 0"
	case ticketTimes:
		return "expiry time is not after the issue time"
	case ticketLicenseCount:
		return fmt.Sprintf("licence count is over %d", MaxTicketLicenses)
	case ticketLength:
		return "length disagrees with the counts in its header"
	case ticketLicenseOrder:
		return "licences are not strictly ascending"
	}
	return "well formed"
}

// ParseTicket reads the bytes of an auth ticket (see the format at
// [TicketVersion]). It checks the structure, not the signature: only a
// universe with the issuer's key can tell a forged ticket. Errors match
// [ErrInvalidTicket]; ParseTicket never panics and never reads past b.
func ParseTicket(b []byte) (Ticket, error) {
	var raw rawTicket
	if code := parseTicket(b, &raw); code != ticketOK {
		if code == ticketVersion {
			return Ticket{}, fmt.Errorf("%w: version byte is %d, want %d", ErrInvalidTicket, b[0], TicketVersion)
		}
		return Ticket{}, fmt.Errorf("%w: %d bytes: %s", ErrInvalidTicket, len(b), code)
	}
	t := Ticket{
		User:            raw.user,
		App:             raw.app,
		Handle:          raw.handle,
		Issued:          time.Unix(0, raw.issued),
		Expires:         time.Unix(0, raw.expires),
		For:             raw.identity(),
		VACBanned:       raw.flags&flagVACBanned != 0,
		PublisherBanned: raw.flags&flagPublisherBanned != 0,
	}
	if len(raw.lic) > 0 {
		t.Licenses = make([]steamgs.AppID, len(raw.lic)/4)
		for i := range t.Licenses {
			t.Licenses[i] = steamgs.AppID(binary.LittleEndian.Uint32(raw.lic[4*i:]))
		}
	}
	copy(t.Signature[:], raw.sig)
	return t, nil
}

// appendTicketBody appends the signed part of t (everything but the
// signature) to b. t.Licenses must be strictly ascending and at most
// MaxTicketLicenses long, and t.For set in at most one field.
func appendTicketBody(b []byte, t *Ticket) []byte {
	var flags uint8
	if t.VACBanned {
		flags |= flagVACBanned
	}
	if t.PublisherBanned {
		flags |= flagPublisherBanned
	}
	kind, n := uint8(idNone), 0
	switch {
	case t.For.SteamID != 0:
		kind, n = idSteamID, 8
	case t.For.Addr.IsValid() && t.For.Addr.Addr().Unmap().Is4():
		kind, n = idIPv4, 6
	case t.For.Addr.IsValid():
		kind, n = idIPv6, 18
	case t.For.Generic != "":
		kind, n = idGeneric, len(t.For.Generic)
	}
	b = append(b, TicketVersion, flags, kind, uint8(n))
	b = binary.LittleEndian.AppendUint64(b, uint64(t.User))
	b = binary.LittleEndian.AppendUint32(b, uint32(t.App))
	b = binary.LittleEndian.AppendUint32(b, uint32(t.Handle))
	b = binary.LittleEndian.AppendUint64(b, uint64(t.Issued.UnixNano()))
	b = binary.LittleEndian.AppendUint64(b, uint64(t.Expires.UnixNano()))
	b = binary.LittleEndian.AppendUint16(b, uint16(len(t.Licenses)))
	switch kind {
	case idSteamID:
		b = binary.LittleEndian.AppendUint64(b, uint64(t.For.SteamID))
	case idIPv4:
		a := t.For.Addr.Addr().Unmap().As4()
		b = append(b, a[:]...)
		b = binary.LittleEndian.AppendUint16(b, t.For.Addr.Port())
	case idIPv6:
		a := t.For.Addr.Addr().As16()
		b = append(b, a[:]...)
		b = binary.LittleEndian.AppendUint16(b, t.For.Addr.Port())
	case idGeneric:
		b = append(b, t.For.Generic...)
	}
	for _, app := range t.Licenses {
		b = binary.LittleEndian.AppendUint32(b, uint32(app))
	}
	return b
}

// signTicket encodes t and signs it with key, returning the whole ticket.
func signTicket(key ed25519.PrivateKey, t *Ticket) []byte {
	b := appendTicketBody(make([]byte, 0, ticketHeaderLen+31+4*len(t.Licenses)+ed25519.SignatureSize), t)
	return append(b, ed25519.Sign(key, b)...)
}
